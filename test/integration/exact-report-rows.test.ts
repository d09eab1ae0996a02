import { describe, expect, it } from 'vitest';
import { writeIso2709 } from '../../oclc/marc/write-iso2709.ts';
import { parseReport, reportKindOf } from '../../oclc/reports/parse-report.ts';
import { connectAs } from '../support/sftp-test-client.ts';
import { startTestSimulator } from '../support/test-simulator.ts';

/**
 * Rows of Princeton's real BibProcessingReport (pulibrary/lib_jobs, spec/fixtures/oclc,
 * PUL-PUL.1012676.IN.BIB.D20230712.T091924073…_new.mrc_2.BibProcessingReport.txt). Everything but the
 * locator (the file's receive time and a record position) must come out the same.
 */
const REAL_MATCH = 'PUL_1012676_1691414364073::bib::1903397|99125407254106421|3268953|3268953|match';
const REAL_CREATE = 'PUL_1012676_1691414364073::bib::2548588|99110773983506421||1392646065|create';

const F008 = '230712s2023    nju           000 0 eng d';
const field = (tag: string, data: string) => ({ tag, data: Buffer.from(data, 'utf8') });
const bib = (fields: { tag: string; data: Buffer }[]) => writeIso2709('00000nam a2200000 a 4500', fields);
const title = (text: string) => [
  field('008', F008),
  field('100', `1 \x1faAuthor, A.`),
  field('245', `10\x1fa${text} /\x1fcA. Author.`),
  field('264', ` 1\x1faPrinceton :\x1fbPress,\x1fc2023.`),
  field('300', `  \x1fa1 volume.`),
];

async function processingRows(records: Buffer[]): Promise<string[][]> {
  await using sim = await startTestSimulator();
  await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
  const processed = sim.waitFor('file:processed');
  await client.put('metacoll/in/bib/1012676.pul.exact.mrc', Buffer.concat(records));
  await sim.processing.run();
  await processed;
  const name = (await client.readdir('metacoll/reports'))
    .map((e) => e.filename)
    .find((n) => n.endsWith('.BibProcessingReport.txt'));
  if (!name) throw new Error('no processing report');
  const text = (await client.get(`metacoll/reports/${name}`)).toString('utf8');
  expect(reportKindOf(name)).toBe('BibProcessingReport');
  expect([...text].filter((c) => c !== '\n' && c.charCodeAt(0) < 0x20)).toEqual([]);
  return parseReport('BibProcessingReport', text).rows.map((r) => Object.values(r).slice(1));
}

const withoutLocator = (row: string) => row.split('|').slice(1);

describe('report rows as OCLC writes them', () => {
  it('an LSN in a 001 written like a data field reaches the report without its 0x1F byte', async () => {
    const rows = await processingRows([
      bib([
        field('001', '  \x1fa99125407254106421'),
        field('035', '  \x1fa(OCoLC)3268953'),
        ...title('A matched title'),
      ]),
    ]);
    expect(rows).toEqual([withoutLocator(REAL_MATCH)]);
  });

  it('only the first (OCoLC) 035 is the OCN: a later one is never matched instead', async () => {
    const rows = await processingRows([
      bib([
        field('001', '99125407254106421'),
        field('035', '  \x1fa(OCoLC)3268953'),
        field('035', '  \x1fa(OCoLC)1392646065'),
        ...title('First of two numbers'),
      ]),
      // OCLC's placeholder for a record it has not numbered yet comes first: no OCN, so the
      // record is matched by its data and, finding none, created (the real create row's shape).
      bib([
        field('001', '99110773983506421'),
        field('035', '  \x1fa(OCoLC)NEW'),
        field('035', '  \x1fa(OCoLC)3268953'),
        ...title('A record WorldCat does not have yet'),
      ]),
    ]);
    expect(rows[0]).toEqual(withoutLocator(REAL_MATCH));
    const [lsn, incoming, ocn, action] = rows[1] ?? [];
    const [realLsn, realIncoming, , realAction] = withoutLocator(REAL_CREATE);
    expect([lsn, incoming, action]).toEqual([realLsn, realIncoming, realAction]);
    expect(ocn).toMatch(/^\d+$/);
    expect(ocn).not.toBe('3268953');
  });
});
