import { describe, expect, it } from 'vitest';
import { generateBibRecords, generatedLsn } from '../../oclc/marc/generate-bib-records.ts';
import { iso2709 } from '../../oclc/marc/write-marc.ts';
import { connectAs, type SftpTestClient } from '../support/sftp-test-client.ts';
import { startTestSimulator } from '../support/test-simulator.ts';

function generated(count: number, seed: number, defects = {}): Buffer {
  return Buffer.concat([...generateBibRecords({ count, seed, defects })].map((r) => r.bytes));
}

async function reports(client: SftpTestClient): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of await client.readdir('/xfer/metacoll/reports')) {
    const kind = /\.(\w+Report)\.txt$/.exec(entry.filename)?.[1] ?? entry.filename;
    out.set(kind, (await client.get(`/xfer/metacoll/reports/${entry.filename}`)).toString('utf8'));
  }
  return out;
}

const lines = (text: string | undefined): string[] => (text ?? '').split('\n').filter(Boolean);

describe('bib files are processed into holdings and OCLC reports', () => {
  it('accounts for every record: processing rows + data-error rows = records framed', async () => {
    await using sim = await startTestSimulator({ processing: 'immediate' });
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    const processed = sim.waitFor('file:processed');
    const file = generated(200, 7, {
      sparse: 2,
      truncated: 1,
      'invalid-utf8': 1,
      'bad-directory': 1,
      'no-lsn': 1,
    });
    await client.put('metacoll/in/bib/1012676.pul.full.20260115.mrc', file);
    const record = await processed;
    expect(record.state).toBe('processed');
    const got = await reports(client);
    expect([...got.keys()].sort()).toEqual([
      'BibCrossRefReport',
      'BibExceptionReport',
      'BibProcessingReport',
      'BibUnresolvedCrossRefReport',
      'LbdProcessingReport',
    ]);
    const processing = lines(got.get('BibProcessingReport'));
    const exceptions = lines(got.get('BibExceptionReport'));
    const dataErrors = exceptions.filter((l) => l.split('|')[4] === 'Data Error');
    expect(processing.length + dataErrors.length).toBe(200);
    expect(record.summary?.records).toBe(200);
    expect(dataErrors.map((l) => l.split('|')[6]).sort()).toEqual([
      'crosswalk_error',
      'crosswalk_error',
      'invalid_characters_present',
    ]);
    for (const line of processing) expect(line.split('|')).toHaveLength(5);
    for (const line of exceptions) expect(line.split('|')).toHaveLength(7);
    for (const line of dataErrors)
      expect(line).toMatch(/^PUL_1012676_\d+::bib::\d+\|\|\|\|Data Error\|\|\w+$/);
    expect(exceptions.filter((l) => l.endsWith('|Validation Error|CRITICAL|Record is sparse.'))).toHaveLength(
      2,
    );
    expect(exceptions.some((l) => l.includes('|Processing Error||Local system number not found'))).toBe(true);
  });

  it('sets and cancels holdings, creates and matches, and cross-references LSN to OCN', async () => {
    await using sim = await startTestSimulator({ processing: 'immediate' });
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    const full = { leader: '00000nam a2200000 i 4500' };
    const f008 = '260115s2020    nyu           000 0 eng d';
    const records = [
      iso2709({
        ...full,
        fields: [
          ['001', '9911'],
          ['008', f008],
          ['035', '  ', 'a', '(OCoLC)ocm00012345'],
          ['245', '10', 'a', 'Matched'],
        ],
      }),
      iso2709({
        ...full,
        fields: [
          ['001', '9912'],
          ['008', f008],
          ['100', '1 ', 'a', 'Writer, A.'],
          ['245', '10', 'a', 'Brand new'],
          ['300', '  ', 'a', '10 p.'],
        ],
      }),
      iso2709({
        ...full,
        fields: [
          ['001', '9913'],
          ['008', f008],
          ['245', '10', 'a', 'Thin'],
        ],
      }),
      iso2709({
        leader: '00000dam a2200000 i 4500',
        fields: [
          ['001', '9914'],
          ['008', f008],
          ['035', '  ', 'a', '(OCoLC)777'],
          ['245', '10', 'a', 'Gone'],
        ],
      }),
    ];
    const processed = sim.waitFor('file:processed');
    await client.put('metacoll/in/bib/1012676.pul.mixed.mrc', Buffer.concat(records));
    await processed;
    const got = await reports(client);
    const rows = lines(got.get('BibProcessingReport')).map((l) => l.split('|').slice(1));
    expect(rows).toEqual([
      ['9911', '12345', '12345', 'match'],
      ['9912', '', '9000000001', 'create'],
      ['9913', '', '8000000001', 'unresolved'],
      ['9914', '777', '777', 'match'],
    ]);
    expect(lines(got.get('BibCrossRefReport'))).toEqual(['9911\t12345', '9912\t9000000001', '9914\t777']);
    expect(lines(got.get('BibUnresolvedCrossRefReport'))).toEqual(['9913\t8000000001']);
    const res = await fetch(`${sim.adminUrl}/api/institutions/PUL/holdings`);
    expect(await res.json()).toEqual({ symbol: 'PUL', ocns: ['12345', '9000000001'] });
  });

  it('names reports after the receive time in US Eastern time and the original file name', async () => {
    await using sim = await startTestSimulator({ processing: 'immediate' });
    await using client = await connectAs(sim, 'fx_ab_64', 'ab-secret');
    const processed = sim.waitFor('file:processed');
    await client.put('metacoll/in/bib/1234567.ab_64.named.mrc', generated(3, 1));
    const record = await processed;
    const names = (await client.readdir('metacoll/reports')).map((e) => e.filename);
    const stamp = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'America/New_York',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    })
      .format(new Date(record.receivedAt ?? 0))
      .replace(/-/g, '');
    expect(names).toContain(
      `AB_64-AB_64.1234567.IN.BIB.D${stamp}.T${names[0]?.split('.T')[1]?.slice(0, 9) ?? ''}.1234567.ab_64.named.mrc.BibProcessingReport.txt`,
    );
    for (const name of names)
      expect(name).toMatch(
        /^AB_64-AB_64\.1234567\.IN\.BIB\.D\d{8}\.T\d{9}\.1234567\.ab_64\.named\.mrc\.\w+Report\.txt$/,
      );
  });

  it('GET /api/files/{id} shows per-record outcomes', async () => {
    await using sim = await startTestSimulator({ processing: 'immediate' });
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    const processed = sim.waitFor('file:processed');
    await client.put('metacoll/in/bib/1012676.pul.outcomes.mrc', generated(5, 3, { sparse: 1 }));
    const record = await processed;
    const body = (await (await fetch(`${sim.adminUrl}/api/files/${record.id}`)).json()) as {
      state: string;
      outcomeCount: number;
      outcomes: { lsn: string; action: string; errors: { message: string }[] }[];
    };
    expect(body.state).toBe('processed');
    expect(body.outcomeCount).toBe(5);
    expect(body.outcomes.map((o) => o.lsn)).toEqual([0, 1, 2, 3, 4].map((i) => generatedLsn(i, 3)));
    expect(body.outcomes.find((o) => o.action === 'unresolved')?.errors[0]?.message).toBe(
      'Record is sparse.',
    );
  });
});
