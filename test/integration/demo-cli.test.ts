import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

describe('datasync-sim demo', () => {
  it('--pace fast --exit --no-open tells the whole story and exits 0', async () => {
    using dir = tempDir();
    const result = await runCli([
      'demo',
      '--pace',
      'fast',
      '--exit',
      '--no-open',
      '--sftp-port',
      '0',
      '--admin-port',
      '0',
      '--data-dir',
      dir.path,
    ]);
    expect(result.code, result.stderr).toBe(0);
    const out = result.stdout;
    expect(out).toMatch(/^dashboard: http:\/\/127\.0\.0\.1:\d+\/$/m);
    const steps = [...out.matchAll(/^(\d+)\. /gm)].map((m) => Number(m[1]));
    expect(steps).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(out).toContain('Failed to upload "1234567.ab@.books.mrc"');
    expect(out).toContain('1234567.ab_64.books.mrc accepted');
    expect(out).toMatch(/match \d+, create \d+, unresolved \d+/);
    expect(out).toMatch(/\d+ records got an OCN/);
    expect(out).toMatch(/OCN \d+ has 3 LHRs\n/);
    expect(out).toMatch(/OCN \d+ now has 1 LHR: two copies are gone/);
    expect(out).toMatch(/OCN \d+ has 3 LHRs again/);
    expect(result.stderr).toBe('');
  }, 120_000);

  it('refuses an unknown pace with exit 2', async () => {
    const result = await runCli(['demo', '--pace', 'warp', '--exit', '--no-open']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("argument 'warp' is invalid");
  });
});
