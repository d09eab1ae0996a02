import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateBibRecords } from '../../oclc/marc/generate-bib-records.ts';
import { BIN, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/** A CLI child whose output can be awaited line by line, with its own TMPDIR. */
function start(
  args: readonly string[],
  cwd: string,
  tmp: string,
): {
  child: ChildProcessWithoutNullStreams;
  until: (pattern: RegExp) => Promise<void>;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
} {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...process.env, TMPDIR: tmp, DATASYNC_SIM_SFTP_PORT: '0', DATASYNC_SIM_ADMIN_PORT: '0' },
  });
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  const check = (): void => {
    for (const w of [...waiters])
      if (w.pattern.test(stdout)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
  };
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    check();
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  const until = (pattern: RegExp): Promise<void> =>
    Promise.race([
      new Promise<void>((resolve) => {
        waiters.push({ pattern, resolve });
        check();
      }),
      done.then(({ code }) => {
        throw new Error(`exited ${code} before printing ${pattern}:\n${stdout}\n${stderr}`);
      }),
    ]);
  return { child, until, done };
}

/** Resolves once a file whose name matches appears in `dir` (polled on the child's own output). */
async function whenFileAppears(
  dir: string,
  pattern: RegExp,
  child: ChildProcessWithoutNullStreams,
): Promise<void> {
  const { watch } = await import('node:fs');
  await new Promise<void>((resolve, reject) => {
    const watcher = watch(dir, () => {
      if (readdirSync(dir).some((f) => pattern.test(f))) {
        watcher.close();
        resolve();
      }
    });
    child.once('close', () => {
      watcher.close();
      reject(new Error(`exited before ${pattern} appeared in ${dir}`));
    });
    if (readdirSync(dir).some((f) => pattern.test(f))) {
      watcher.close();
      resolve();
    }
  });
}

describe('commands stopped by Ctrl+C (SIGINT) or SIGTERM leave no partial files and say where they stopped', () => {
  it('marc generate: no partial file, an earlier file untouched, exit 130', async () => {
    using dir = tempDir();
    using tmp = tempDir();
    const out = join(dir.path, 'big.mrc');
    writeFileSync(out, 'an earlier file');
    const run = start(['marc', 'generate', '--count', '5000000', '--out', out], dir.path, tmp.path);
    await whenFileAppears(dir.path, /\.partial$/, run.child);
    run.child.kill('SIGINT');
    const result = await run.done;
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(
      /stopped by Ctrl\+C \(SIGINT\) after \d+ of 5000000 records; .*big\.mrc was not written/,
    );
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(readdirSync(dir.path)).toEqual(['big.mrc']);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(out, 'utf8')).toBe('an earlier file');
  }, 120_000);

  it('check --out: the partial output is removed on SIGTERM, exit 143', async () => {
    using dir = tempDir();
    using tmp = tempDir();
    const input = join(dir.path, 'input.mrc');
    const records = generateBibRecords({ count: 200_000, seed: 3, defects: { sparse: 50_000 } });
    writeFileSync(input, Buffer.concat([...records].map((r) => r.bytes)));
    const run = start(['check', input, '--format', 'json', '--out', 'out.json'], dir.path, tmp.path);
    await whenFileAppears(dir.path, /^out\.json$/, run.child);
    run.child.kill('SIGTERM');
    const result = await run.done;
    expect(result.code).toBe(143);
    expect(result.stderr).toMatch(
      /stopped by SIGTERM while checking .*input\.mrc \(\d+ of \d+ bytes read; 0 of 1 files done\); out\.json was not written/,
    );
    expect(readdirSync(dir.path)).toEqual(['input.mrc']);
  }, 120_000);

  it('check --out naming a folder is a usage error, and the folder is left alone', async () => {
    using dir = tempDir();
    const { mkdirSync, existsSync } = await import('node:fs');
    mkdirSync(join(dir.path, 'reports'));
    writeFileSync(join(dir.path, 'reports', 'keep.txt'), 'mine');
    const fixture = new URL('../../scenarios/fixtures/bib-day1.mrc', import.meta.url).pathname;
    const result = await runCli(['check', fixture, '--out', 'reports'], { cwd: dir.path });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('it is a folder, not a file');
    expect(existsSync(join(dir.path, 'reports', 'keep.txt'))).toBe(true);
  });

  it('scenario run: every simulator folder is removed, and the line says which scenario it was in', async () => {
    using dir = tempDir();
    using tmp = tempDir();
    const run = start(['scenario', 'run'], dir.path, tmp.path);
    await run.until(/^✓ /m);
    run.child.kill('SIGINT');
    const result = await run.done;
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(
      /stopped by Ctrl\+C \(SIGINT\) during ".+" \(scenario \d+ of \d+; \d+ passed, 0 failed so far\)/,
    );
    expect(readdirSync(tmp.path)).toEqual([]);
  }, 120_000);

  it('demo: its temporary data dir is removed on Ctrl+C mid-story and after --exit', async () => {
    using dir = tempDir();
    using tmp = tempDir();
    const run = start(['demo', '--pace', 'slow', '--no-open'], dir.path, tmp.path);
    await run.until(/^1\. /m);
    expect(readdirSync(tmp.path)).toHaveLength(1);
    run.child.kill('SIGINT');
    const result = await run.done;
    expect(result.code).toBe(130);
    expect(result.stdout).toContain('(removed when the demo ends; --data-dir keeps it)');
    expect(result.stderr).toMatch(/stopped by Ctrl\+C \(SIGINT\) at step 1 of the story/);
    expect(readdirSync(tmp.path)).toEqual([]);
    const exited = start(['demo', '--pace', 'fast', '--exit', '--no-open'], dir.path, tmp.path);
    expect((await exited.done).code).toBe(0);
    expect(readdirSync(tmp.path)).toEqual([]);
  }, 180_000);
});

describe('demo on a data dir an earlier demo used', () => {
  it('says it starts clean and tells the same story again (exit 0)', async () => {
    using dir = tempDir();
    const args = ['demo', '--pace', 'fast', '--exit', '--no-open', '--data-dir', join(dir.path, 'demo')];
    const env = { DATASYNC_SIM_SFTP_PORT: '0', DATASYNC_SIM_ADMIN_PORT: '0' };
    const first = await runCli(args, { env });
    const second = await runCli(args, { env });
    expect(first.code, first.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    expect(first.stdout).not.toContain('starting clean');
    expect(second.stdout).toContain('held an earlier demo: starting clean');
    const story = (out: string): string => out.slice(out.indexOf('\n1. '));
    expect(story(second.stdout)).toBe(story(first.stdout));
    expect(second.stderr).toBe('');
  }, 180_000);
});

describe('output piped into a reader that stops early', () => {
  it('ends quietly: no EPIPE stack, exit 141, nothing left behind', async () => {
    using dir = tempDir();
    using tmp = tempDir();
    const run = start(['scenario', 'run'], dir.path, tmp.path);
    await run.until(/^✓ /m);
    run.child.stdout.destroy();
    const result = await run.done;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(141);
    expect(readdirSync(tmp.path)).toEqual([]);
  }, 120_000);
});
