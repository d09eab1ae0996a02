import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { generateBibRecords } from '../../oclc/marc/generate-bib-records.ts';
import { generateLhrRecords } from '../../oclc/marc/generate-lhr-records.ts';
import { iso2709, marcxmlCollection, marcxmlRecord, type RecordSpec } from '../../oclc/marc/write-marc.ts';
import { checkFile } from '../../simulator/check/check-file.ts';
import type { CheckProblem } from '../../simulator/check/check-result.ts';
import type { ConfigInput } from '../../simulator/config/config-schema.ts';
import { defineConfig } from '../../simulator/config/load-config.ts';
import { mfhd } from '../fixtures/mfhd-fixtures.ts';
import { failure } from '../support/expect-failure.ts';
import { runCli } from '../support/run-cli.ts';
import { connectAs } from '../support/sftp-test-client.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startTestSimulator } from '../support/test-simulator.ts';

const F008 = '260115s2020    nyu           000 0 eng d';
const INSTITUTIONS: ConfigInput['institutions'] = [
  {
    symbol: 'PUL',
    password: 'pul-secret',
    collections: [
      { id: '1012676', type: 'bib', default: true },
      { id: '1012677', type: 'lhr' },
      { id: '1012678', type: 'delete-holdings' },
      { id: '1012679', type: 'delete-lhr' },
      { id: '1012680', type: 'lhr', ocnField: '035' },
    ],
  },
];

const generated = (records: Iterable<{ bytes: Buffer }>): Buffer =>
  Buffer.concat([...records].map((r) => r.bytes));
const bib = (...extra: RecordSpec['fields']): RecordSpec => ({
  leader: '00000nam a2200000 i 4500',
  fields: [['001', `h${extra.length}`], ['008', F008], ['245', '10', 'a', 'T'], ...extra],
});
const truncated = (record: Buffer): Buffer => record.subarray(0, record.length - 20);

/** One file per rule family, uploaded where the family applies. */
const FAMILIES: { family: string; folder: 'bib' | 'lhr'; name: string; data: () => Buffer }[] = [
  {
    family: 'ISO 2709 framing and encoding (Data Errors)',
    folder: 'bib',
    name: '1012676.pul.framing.mrc',
    data: () =>
      generated(
        generateBibRecords({
          count: 40,
          seed: 5,
          defects: { truncated: 1, 'bad-directory': 1, 'invalid-utf8': 2 },
        }),
      ),
  },
  {
    family: 'Leader, 008, OCN and LSN rules (Validation and Processing Errors)',
    folder: 'bib',
    name: '1012676.pul.rules.mrc',
    data: () =>
      Buffer.concat([
        generated(
          generateBibRecords({ count: 30, seed: 6, defects: { sparse: 2, 'no-lsn': 1, 'repeated-245a': 1 } }),
        ),
        iso2709(bib(['040', '  ', 'a', 'X', 'e', 'rda'])),
        iso2709(bib(['509', '  ', 'a', 'x'])),
        iso2709({ ...bib(), leader: '00000nab a2200000 i 4500' }),
        iso2709({
          leader: '00000nam a2200000 i 4500',
          fields: [
            ['001', 'short008'],
            ['008', '2601'],
            ['245', '10', 'a', 'T'],
          ],
        }),
      ]),
  },
  {
    family: 'MARCXML framing',
    folder: 'bib',
    name: '1012676.pul.xmlrules.xml',
    data: () =>
      Buffer.from(
        marcxmlCollection([
          marcxmlRecord(bib(['035', '  ', 'a', '(OCoLC)42'])),
          marcxmlRecord({
            leader: '00000nam a2200000 i 4500',
            fields: [
              ['001', 'x1'],
              ['8AB!', '  ', 'a', 'bad tag'],
            ],
          }),
          marcxmlRecord({
            leader: '00000nam a2200000 i 4500',
            fields: [
              ['001', 'x2'],
              ['008', F008],
            ],
          }),
        ]),
      ),
  },
  {
    family: 'a delete-holdings collection',
    folder: 'bib',
    name: '1012678.pul.deletes.mrc',
    data: () => generated(generateBibRecords({ count: 20, seed: 7, defects: { sparse: 1, truncated: 1 } })),
  },
  {
    family: 'LHR (MFHD) rules',
    folder: 'lhr',
    name: '1012677.pul.holdings.mrc',
    data: () =>
      Buffer.concat([
        generated(
          generateLhrRecords({
            count: 20,
            seed: 8,
            symbol: 'PUL',
            defects: { 'bib-record': 1, 'no-ocn': 1, 'two-852': 1, 'no-852b': 1, 'wrong-symbol': 1 },
          }),
        ),
        truncated(iso2709(mfhd({ lsn: 'cut', ocn: '77' }))),
      ]),
  },
  {
    family: 'LHR with the OCN in 035',
    folder: 'lhr',
    name: '1012680.pul.by035.mrc',
    data: () =>
      Buffer.concat([
        iso2709(mfhd({ lsn: 'a', ocn: '5', ocnIn: '035' })),
        iso2709(mfhd({ lsn: 'b', ocn: '5' })),
        iso2709(mfhd({ lsn: 'c', ocn: 'xyz', ocnIn: '035' })),
      ]),
  },
  {
    family: 'a delete-lhr collection',
    folder: 'lhr',
    name: '1012679.pul.gone.mrc',
    data: () =>
      Buffer.concat([
        iso2709(mfhd({ lsn: 'a', ocn: '5' })),
        iso2709(mfhd({ lsn: 'b', ocn: '5', symbol: 'XYZ' })),
        iso2709(mfhd({ lsn: 'c' })),
      ]),
  },
];

/**
 * A row without what only WorldCat decides: the locator's receipt time (kept: the byte offset),
 * the OCN WorldCat assigns (bib column 4), and LHR notes about holdings WorldCat lacked.
 */
function comparable(line: string, lhr: boolean): string[] | undefined {
  const [locator = '', lsn = '', ocn = '', fourth = '', ...rest] = line.split('|');
  if (rest[0] === 'Note') return undefined;
  return [locator.replace(/^.*::/, ''), lsn, ocn, lhr ? fourth : '', ...rest];
}

function checkRow(p: CheckProblem, lhr: boolean): string[] {
  return [String(p.offset), p.lsn, p.ocn, lhr ? p.library : '', p.type, p.severity, p.message];
}

describe('check reports exactly what processing reports, for each rule family', () => {
  it.each(FAMILIES)('$family', async ({ folder, name, data }) => {
    await using sim = await startTestSimulator({ institutions: INSTITUTIONS });
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    using dir = tempDir();
    const bytes = data();
    const path = join(dir.path, name);
    writeFileSync(path, bytes);
    await client.put(`metacoll/in/${folder}/${name}`, bytes);
    const [file] = await sim.processing.run();
    expect(file?.state).toBe('processed');
    const lhr = folder === 'lhr';
    const kind = lhr ? 'LhrExceptionReport' : 'BibExceptionReport';
    const entry = (await client.readdir('metacoll/reports')).find((e) =>
      e.filename.endsWith(`.${name}.${kind}.txt`),
    );
    if (!entry) throw new Error(`no ${kind} for ${name}`);
    const processed = (await client.get(`metacoll/reports/${entry.filename}`))
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => comparable(line, lhr))
      .filter((row) => row !== undefined);

    const checked = await checkFile(path, { config: defineConfig({ institutions: INSTITUTIONS }) });
    expect(processed.length).toBeGreaterThan(0);
    expect(checked.problems.map((p) => checkRow(p, lhr))).toEqual(processed);
    expect(checked.records).toBe(file?.summary?.records);
    expect(checked.exceptionReportName.replace(/\.D\d+\.T\d+\./, '.')).toBe(
      entry.filename.replace(/\.D\d+\.T\d+\./, '.'),
    );
  });

  it('`check --format oclc` writes the exception report processing delivers, under the same name', async () => {
    await using sim = await startTestSimulator({ institutions: INSTITUTIONS });
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    using dir = tempDir();
    const family = FAMILIES.find((f) => f.family === 'LHR (MFHD) rules');
    if (!family) throw new Error('no LHR family');
    const bytes = family.data();
    const path = join(dir.path, family.name);
    writeFileSync(path, bytes);
    await client.put(`metacoll/in/lhr/${family.name}`, bytes);
    await sim.processing.run();
    const entry = (await client.readdir('metacoll/reports')).find((e) =>
      e.filename.endsWith('.LhrExceptionReport.txt'),
    );
    const processed = (await client.get(`metacoll/reports/${entry?.filename ?? ''}`)).toString('utf8');

    const config = join(dir.path, 'sim.yaml');
    writeFileSync(config, stringify({ institutions: INSTITUTIONS }));
    const out = join(dir.path, 'reports');
    const result = await runCli(['check', path, '--config', config, '--format', 'oclc', '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(3);
    const [written] = readdirSync(out);
    expect(written?.replace(/\.D\d+\.T\d+\./, '.')).toBe(entry?.filename.replace(/\.D\d+\.T\d+\./, '.'));
    const lines = (text: string): string[][] =>
      text
        .split('\n')
        .filter(Boolean)
        .map((l) => comparable(l, true))
        .filter((row) => row !== undefined);
    expect(lines(readFileSync(join(out, written ?? ''), 'utf8'))).toEqual(lines(processed));
  });

  it('refuses an upload name exactly as the SFTP server does, with the same fix', async () => {
    await using sim = await startTestSimulator({ institutions: INSTITUTIONS });
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    using dir = tempDir();
    const path = join(dir.path, 'export.mrc');
    writeFileSync(path, generated(generateBibRecords({ count: 3, seed: 1 })));
    for (const name of [
      '1012676.pul.day 1.mrc',
      '1012676.xyz.day1.mrc',
      '9999999.pul.day1.txt',
      'pul.day1.mrc',
    ]) {
      const refused = await failure(client.put(`metacoll/in/bib/${name}`, 'x'));
      const config = defineConfig({ institutions: INSTITUTIONS });
      const checked = await checkFile(path, { name, symbol: 'PUL', config });
      expect(checked.name?.ok).toBe(false);
      expect(refused.message).toBe(`Failed to upload "${name}": ${checked.name?.message ?? ''}`);
      expect(checked.ok).toBe(false);
    }
  });
});
