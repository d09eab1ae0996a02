import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Iso2709Reader } from '../../oclc/marc/iso2709-reader.ts';
import { runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

describe('datasync-sim marc generate', () => {
  it('writes the same records for the same seed, with the defects asked for', async () => {
    using dir = tempDir();
    const a = join(dir.path, 'a.mrc');
    const b = join(dir.path, 'b.mrc');
    const args = ['marc', 'generate', '--count', '50', '--seed', '9', '--defects', 'sparse=2,truncated=1'];
    const first = await runCli([...args, '--out', a]);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(`wrote 50 bib records to ${a}\n`);
    await runCli([...args, '--out', b]);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    const reader = new Iso2709Reader();
    const items = [...reader.push(readFileSync(a)), ...reader.end()];
    expect(items.filter((i) => i.kind === 'record')).toHaveLength(49);
    expect(items.filter((i) => i.kind === 'error')).toHaveLength(1);
    const other = await runCli(['marc', 'generate', '--count', '50', '--seed', '10', '--out', b]);
    expect(other.code).toBe(0);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(false);
  });

  it('writes MFHD records, several per OCN, that LHR processing reads', async () => {
    using dir = tempDir();
    const file = join(dir.path, 'lhr.mrc');
    const result = await runCli([
      'marc',
      'generate',
      '--kind',
      'lhr',
      '--count',
      '9',
      '--copies-per-ocn',
      '3',
      '--symbol',
      'AB@',
      '--defects',
      'two-852=1',
      '--out',
      file,
    ]);
    expect(result.code).toBe(0);
    const reader = new Iso2709Reader();
    const records = [...reader.push(readFileSync(file)), ...reader.end()].flatMap((i) =>
      i.kind === 'record' ? [i.record] : [],
    );
    expect(records).toHaveLength(9);
    expect(new Set(records.map((r) => r.control('004'))).size).toBe(3);
    expect(records.every((r) => r.leader[6] === 'x' && r.first('852', 'a') === 'AB@')).toBe(true);
    expect(records.filter((r) => r.values('852', 'b').length > 1)).toHaveLength(1);
  });

  it('names the known defects when given an unknown one', async () => {
    const result = await runCli([
      'marc',
      'generate',
      '--count',
      '1',
      '--defects',
      'wobbly=1',
      '--out',
      '/dev/null',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'Failed to plant defects "wobbly": unknown bib defect; known: sparse, no-lsn, invalid-utf8',
    );
  });
});
