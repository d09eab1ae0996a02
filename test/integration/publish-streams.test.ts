import { execFileSync } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateBibRecords } from '../../oclc/marc/generate-bib-records.ts';
import { writeProfile } from '../support/client-profile.ts';
import { runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startTestSimulator } from '../support/test-simulator.ts';

const RECORDS = 60_000;
const PER_PART = 25_000;

describe('publish streams its input', () => {
  it('publishes a 21 MB, 60,000-record file with a 20 MB heap, each part byte for byte the input records', async () => {
    await using sim = await startTestSimulator({ processing: 'manual' });
    using dir = tempDir();
    const input = join(dir.path, 'export.mrc');
    const expected = { new: [] as Buffer[], delete: [] as Buffer[] };
    const out = createWriteStream(input);
    for (const record of generateBibRecords({ count: RECORDS, seed: 21 })) {
      expected[record.kind === 'delete' ? 'delete' : 'new'].push(record.bytes);
      if (!out.write(record.bytes)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');

    // Held in memory, 60,000 parsed records need more than 20 MB of heap (the client that read
    // every record first ran out of memory here); streamed, the heap stays small.
    const result = await runCli(
      [
        'publish',
        '--profile',
        writeProfile(dir.path, sim, { extra: `limits: { maxRecordsPerFile: ${PER_PART} }\n` }),
        '--job-id',
        '60',
        input,
      ],
      { env: { OCLC_PASSWORD: 'pul-secret', NODE_OPTIONS: '--max-old-space-size=20' } },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);

    const parts = (type: 'new' | 'delete'): Buffer[] => {
      const records = expected[type];
      const chunks: Buffer[] = [];
      for (let from = 0; from < records.length; from += PER_PART)
        chunks.push(Buffer.concat(records.slice(from, from + PER_PART)));
      return chunks;
    };
    const want = new Map<string, Buffer>();
    for (const type of ['new', 'delete'] as const) {
      const chunks = parts(type);
      chunks.forEach((bytes, index) =>
        want.set(`1012676.pul.bibs_60${chunks.length > 1 ? `-${index + 1}` : ''}_${type}.mrc`, bytes),
      );
    }
    const uploaded = sim.files.list();
    expect(uploaded.map((file) => file.name).sort()).toEqual([...want.keys()].sort());
    for (const file of uploaded) {
      expect(file.state).toBe('queued');
      const bytes = readFileSync(file.storedPath ?? '');
      expect(bytes.equals(want.get(file.name) ?? Buffer.alloc(0)), file.name).toBe(true);
    }
  });

  it('publishes records read from a pipe (read once, so spooled), byte for byte', async () => {
    await using sim = await startTestSimulator({ processing: 'manual' });
    using dir = tempDir();
    const fifo = join(dir.path, 'export.mrc');
    execFileSync('mkfifo', [fifo]);
    const records = [...generateBibRecords({ count: 500, seed: 5 })];
    const want = {
      new: Buffer.concat(records.filter((r) => r.kind !== 'delete').map((r) => r.bytes)),
      delete: Buffer.concat(records.filter((r) => r.kind === 'delete').map((r) => r.bytes)),
    };
    const published = runCli(['publish', '--profile', writeProfile(dir.path, sim), '--job-id', '61', fifo], {
      env: { OCLC_PASSWORD: 'pul-secret' },
    });
    // The writer blocks until publish opens the pipe; a client that read the input twice hung here.
    const out = createWriteStream(fifo);
    out.end(Buffer.concat(records.map((r) => r.bytes)));
    await once(out, 'finish');
    const result = await published;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const uploaded = new Map(
      sim.files.list().map((file) => [file.name, readFileSync(file.storedPath ?? '')]),
    );
    expect([...uploaded.keys()].sort()).toEqual([
      '1012676.pul.bibs_61_delete.mrc',
      '1012676.pul.bibs_61_new.mrc',
    ]);
    expect(uploaded.get('1012676.pul.bibs_61_new.mrc')?.equals(want.new)).toBe(true);
    expect(uploaded.get('1012676.pul.bibs_61_delete.mrc')?.equals(want.delete)).toBe(true);
  });
});
