import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { connectAs } from '../support/sftp-test-client.ts';
import { requireTools } from '../support/require-tool.ts';
import { startTestSimulator } from '../support/test-simulator.ts';

// Records nobody on this project wrote, from Debian's example packages (installed by pretest).
const ZEBRA = '/usr/share/doc/idzebra-2.0/examples';
const PERL = '/usr/share/doc/libmarc-perl/examples';

beforeAll(() => requireTools('marc-examples'));

const cases = [
  {
    label: 'idzebra sample-marc (MARC-8)',
    load: () => gunzipSync(readFileSync(`${ZEBRA}/marc21/sample-marc.gz`)),
    ext: 'mrc',
    expected: 24,
  },
  {
    label: 'idzebra collection-opera-43 (MARCXML)',
    load: () => gunzipSync(readFileSync(`${ZEBRA}/marcxml/collection-opera-43.xml.gz`)),
    ext: 'xml',
    expected: 43,
  },
  {
    label: 'libmarc-perl microlif.001',
    load: () => readFileSync(`${PERL}/microlif.001`),
    ext: 'mrc',
    expected: undefined,
  },
  {
    label: 'libmarc-perl specials.001',
    load: () => readFileSync(`${PERL}/specials.001`),
    ext: 'mrc',
    expected: undefined,
  },
];

/**
 * Records counted without our reader: <record> elements, or a plain walk from leader length to
 * leader length over well-formed files (skipping padding between records).
 */
function independentCount(bytes: Buffer, ext: string): number {
  if (ext === 'xml') return (bytes.toString('utf8').match(/<(\w+:)?record[\s>]/g) ?? []).length;
  let count = 0;
  for (let p = 0; p < bytes.length;) {
    if ([0x00, 0x0a, 0x0d, 0x1a, 0x1d].includes(bytes[p] ?? 0)) {
      p++;
      continue;
    }
    p += Number(bytes.toString('latin1', p, p + 5));
    count++;
  }
  return count;
}

describe.each(cases)('$label', ({ load, ext, expected }) => {
  it('is processed with every record accounted for', async () => {
    const bytes = load();
    const count = independentCount(bytes, ext);
    if (expected !== undefined) expect(count).toBe(expected);
    await using sim = await startTestSimulator({ processing: 'manual' });
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    await client.put(`metacoll/in/bib/1012676.pul.real.${ext}`, bytes);
    const [file] = await sim.processing.run();
    expect(file?.state).toBe('processed');
    const reports = await client.readdir('metacoll/reports');
    const read = async (kind: string) => {
      const entry = reports.find((e) => e.filename.endsWith(`.${kind}.txt`));
      return (await client.get(`metacoll/reports/${entry?.filename ?? ''}`))
        .toString('utf8')
        .split('\n')
        .filter(Boolean);
    };
    const processing = await read('BibProcessingReport');
    const dataErrors = (await read('BibExceptionReport')).filter((l) => l.split('|')[4] === 'Data Error');
    expect(processing.length + dataErrors.length).toBe(count);
    expect(file?.summary?.records).toBe(count);
  });
});
