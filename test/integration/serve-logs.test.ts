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
  const cli = await startCli(
    ['serve', '--sftp-port', '0', '--admin-port', '0', ...flags],
    /press Ctrl\+C|"event":"serve:listening"/,
    { cwd: dir },
  );
  // The text banner's line, or the JSON banner's field (--log-format json prints only JSON).
  const port = Number(
    /^sftp listening on 127\.0\.0\.1:(\d+)$/m.exec(cli.output())?.[1] ??
      /"sftp":\{"host":"127\.0\.0\.1","port":(\d+)/.exec(cli.output())?.[1],
  );
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

  it('--log-format json writes JSON lines; --quiet writes no refusal (errors only)', async () => {
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

  it('--log-level: info (the default) logs logins, uploads and outcomes but not each SFTP operation; debug adds them; warn keeps refusals only', async () => {
    const session = async (flags: string[]): Promise<string> => {
      using dir = tempDir();
      const cli = await serve(dir.path, flags);
      {
        await using client = await connectAs(cli, 'fx_pul', 'pul-demo');
        await client.put('metacoll/in/bib/1012676.pul.levels.mrc', 'not MARC');
      }
      // A refused login after the upload's connection closed: its line comes after the upload's.
      await connectAs(cli, 'fx_pul', 'not-the-password').catch(() => undefined);
      const out = await printed(cli.child, cli.output, /auth:refused/);
      cli.child.kill('SIGTERM');
      expect(await cli.exited).toBe(0);
      return out;
    };
    const info = await session([]);
    expect(info).toMatch(/^\S+Z auth:accepted account=fx_pul/m);
    expect(info).toMatch(/^\S+Z upload:received #1 fx_pul "1012676\.pul\.levels\.mrc"/m);
    expect(info).not.toContain('sftp:operation');
    const debug = await session(['--log-level', 'debug']);
    expect(debug).toMatch(/^\S+Z sftp:operation .*operation=open/m);
    const warn = await session(['--log-level', 'warn']);
    expect(warn).toMatch(/^\S+Z auth:refused user=fx_pul/m);
    expect(warn).not.toContain('auth:accepted');
    expect(warn).not.toContain('upload:received');
  });

  it('--log-format json prints nothing but JSON lines, the banner included', async () => {
    using dir = tempDir();
    const cli = await startCli(
      ['serve', '--sftp-port', '0', '--admin-port', '0', '--log-format', 'json'],
      /"event":"serve:listening"/,
      { cwd: dir.path },
    );
    const banner = JSON.parse(cli.output().trim().split('\n')[0] ?? '{}') as {
      event: string;
      sftp: { port: number };
      dashboardUrl: string;
      institutions: { symbol: string; demoPassword?: string }[];
    };
    expect(banner).toMatchObject({
      event: 'serve:listening',
      dashboardUrl: expect.stringMatching(/^http:.*\/$/),
    });
    expect(banner.institutions.find((i) => i.symbol === 'PUL')?.demoPassword).toBe('pul-demo');
    await connectAs({ sftp: { host: '127.0.0.1', port: banner.sftp.port } }, 'fx_pul', 'x').catch(
      () => undefined,
    );
    await printed(cli.child, cli.output, /"event":"auth:refused"/);
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
    const lines = cli.output().trim().split('\n');
    for (const line of lines) expect(() => JSON.parse(line) as unknown, line).not.toThrow();
    expect(JSON.parse(lines.at(-1) ?? '{}')).toMatchObject({ event: 'serve:stopping' });
  });
});
