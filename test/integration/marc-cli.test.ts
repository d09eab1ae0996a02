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
    expect(first.stdout).toBe(`wrote 50 records to ${a}\n`);
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
    expect(result.stderr).toContain('unknown defect "wobbly"; known: sparse, no-lsn, invalid-utf8');
  });
});
