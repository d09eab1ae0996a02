import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { startCli } from '../support/run-cli.ts';
import { connectAs } from '../support/sftp-test-client.ts';
import { tempDir } from '../support/temp-dir.ts';

/** Resolves when the process's stdout so far matches; the line proves the event was logged. */
function printed(
  child: ChildProcessWithoutNullStreams,
  output: () => string,
  pattern: RegExp,
): Promise<string> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (!pattern.test(output())) return;
      child.stdout.off('data', check);
      resolve(output());
    };
    child.stdout.on('data', check);
    check();
  });
}

async function serve(dir: string, flags: string[]) {
  const cli = await startCli(['serve', '--sftp-port', '0', '--admin-port', '0', ...flags], /press Ctrl\+C/, {
    cwd: dir,
  });
  const port = Number(/^sftp listening on 127\.0\.0\.1:(\d+)$/m.exec(cli.output())?.[1]);
  return { ...cli, sftp: { host: '127.0.0.1', port } };
}

describe('serve logs one line per event', () => {
  it('text by default: logins, refusals and uploads, never the password', async () => {
    using dir = tempDir();
    const cli = await serve(dir.path, []);
    await connectAs(cli, 'fx_pul', 'not-the-password').catch(() => undefined);
    {
      await using client = await connectAs(cli, 'fx_pul', 'pul-demo');
      await client.put('metacoll/in/bib/1012676.pul.bad name.mrc', 'x').catch(() => undefined);
    }
    const out = await printed(cli.child, cli.output, /upload:refused/);
    expect(out).toMatch(/^\S+Z auth:refused user=fx_pul method=password reason="wrong password"$/m);
    expect(out).toMatch(/^\S+Z auth:accepted account=fx_pul symbol=PUL method=password$/m);
    expect(out).toMatch(/^\S+Z upload:refused #1 fx_pul "1012676\.pul\.bad name\.mrc": .*spaces/m);
    expect(out).not.toContain('not-the-password');
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });

  it('--log-format json writes JSON lines; --quiet writes none', async () => {
    using dir = tempDir();
    const json = await serve(dir.path, ['--log-format', 'json']);
    await connectAs(json, 'fx_pul', 'not-the-password').catch(() => undefined);
    const out = await printed(json.child, json.output, /"event":"auth:refused"/);
    const line = out.split('\n').find((l) => l.includes('"auth:refused"')) ?? '';
    expect(JSON.parse(line)).toEqual({
      time: expect.stringMatching(/Z$/),
      event: 'auth:refused',
      user: 'fx_pul',
      method: 'password',
      reason: 'wrong password',
    });
    expect(out).not.toContain('not-the-password');
    json.child.kill('SIGTERM');
    await json.exited;

    using quietDir = tempDir();
    const quiet = await serve(quietDir.path, ['--quiet']);
    await connectAs(quiet, 'fx_pul', 'not-the-password').catch(() => undefined);
    const journal = await fetch(`${/admin listening on (\S+)/.exec(quiet.output())?.[1]}/api/journal`);
    expect(journal.status).toBe(200);
    quiet.child.kill('SIGTERM');
    await quiet.exited;
    expect(quiet.output()).not.toContain('auth:refused');
  });
});
