import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startCli, runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';
import { connectAs } from '../support/sftp-test-client.ts';

describe('datasync-sim serve', () => {
  it('runs the embedded demo config, prints one line per listener and the credentials, and stops on SIGTERM', async () => {
    using dir = tempDir();
    const cli = await startCli(['serve', '--sftp-port', '0', '--admin-port', '0'], /press Ctrl\+C/, {
      cwd: dir.path,
    });
    const out = cli.output();
    const sftp = /^sftp listening on 127\.0\.0\.1:(\d+)$/m.exec(out);
    const admin = /^admin listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
    expect(sftp).not.toBeNull();
    expect(admin).not.toBeNull();
    expect(out).toMatch(new RegExp(`^dashboard ${admin?.[1]}/$`, 'm'));
    const dashboard = await fetch(`${admin?.[1]}/`);
    expect(await dashboard.text()).toMatch(/<html/i);
    expect(out).toContain('using the embedded demo configuration');
    expect(out).toMatch(/AB@\s+fx_ab_64 \(or ab_64\) \/ ab-demo/);
    expect(out).toContain(`data dir ${join(dir.path, '.datasync-sim')}`);
    const health = await fetch(`${admin?.[1]}/api/health`);
    expect(health.status).toBe(200);
    await using client = await connectAs(
      { sftp: { host: '127.0.0.1', port: Number(sftp?.[1]) } },
      'fx_pul',
      'pul-demo',
    );
    expect(await client.realpath('.')).toBe('/xfer');
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });

  it('uses --config and lets flags override it', async () => {
    using dir = tempDir();
    const file = join(dir.path, 'sim.yaml');
    writeFileSync(
      file,
      `dataDir: ${join(dir.path, 'from-file')}
sftp: { port: 1 }
admin: { port: 2 }
institutions:
  - { symbol: XYZ, password: p, collections: [{ id: "1000001", type: bib }] }
`,
    );
    const cli = await startCli(
      [
        'serve',
        '--config',
        file,
        '--data-dir',
        join(dir.path, 'from-flag'),
        '--sftp-port',
        '0',
        '--admin-port',
        '0',
      ],
      /press Ctrl\+C/,
    );
    expect(cli.output()).toContain(`data dir ${join(dir.path, 'from-flag')}`);
    expect(cli.output()).toMatch(/XYZ\s+fx_xyz \(or xyz\)\n/);
    cli.child.kill('SIGINT');
    const code = await cli.exited;
    expect(code, cli.output()).toBe(0);
  });

  it('reports every configuration problem at once and exits 2', async () => {
    using dir = tempDir();
    const file = join(dir.path, 'bad.yaml');
    writeFileSync(file, 'fileNames: lenient\ninstitutions:\n  - { symbol: "A B", collections: [] }\n');
    const result = await runCli(['serve', '--config', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`Failed to load configuration "${file}"`);
    expect(result.stderr).toMatch(/line 1: fileNames/);
    expect(result.stderr).toMatch(
      /line 3: institutions\.0\.symbol: a symbol has letters, digits and @ \$ # only/,
    );
    expect(result.stderr).toMatch(
      /institutions\.0\.collections: an institution needs at least one collection/,
    );
    expect(result.stderr).toMatch(/an institution needs a password/);
  });

  it('explains a port in use', async () => {
    using dir = tempDir();
    const first = await startCli(
      ['serve', '--sftp-port', '0', '--admin-port', '0', '--data-dir', join(dir.path, 'a')],
      /press Ctrl/,
    );
    const port = /sftp listening on 127\.0\.0\.1:(\d+)/.exec(first.output())?.[1] ?? '';
    const second = await runCli([
      'serve',
      '--sftp-port',
      port,
      '--admin-port',
      '0',
      '--data-dir',
      join(dir.path, 'b'),
    ]);
    first.child.kill('SIGTERM');
    await first.exited;
    expect(second.code).toBe(69);
    expect(second.stderr).toContain(`Failed to listen for sftp on 127.0.0.1:${port}`);
    expect(second.stderr).toContain('--sftp-port');
  });

  it('`npm start` runs the demo simulator, and a signal to npm stops it (the README quick start)', async () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    using dir = tempDir();
    const child = spawn(
      'npm',
      ['start', '--', '--sftp-port', '0', '--admin-port', '0', '--data-dir', join(dir.path, 'data')],
      { cwd: root },
    );
    let output = '';
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start printed:\n${output}`)), 30_000);
      const onData = (d: Buffer): void => {
        output += d.toString();
        if (output.includes('press Ctrl+C to stop')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      await ready;
      expect(output).toContain('using the embedded demo configuration');
      expect(output).toMatch(/PUL\s+fx_pul \(or pul\) \/ pul-demo/);
    } finally {
      // Only npm's own process gets the signal, as with `kill <pid>`: npm must pass it on.
      child.kill('SIGTERM');
      await exited;
    }
    const adminPort = Number(/admin listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1]);
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(adminPort, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });
    expect(refused, 'the simulator outlived npm and still holds its admin port').toBe(true);
  });

  it('is reachable as `npx datasync-sim` in the checkout (pinned)', async () => {
    const result = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn('npx', ['--no-install', 'datasync-sim', '--help'], {
        cwd: fileURLToPath(new URL('../..', import.meta.url)),
      });
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout }));
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('serve [options]');
  });

  it('teaches with --help', async () => {
    const result = await runCli(['serve', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--config <file>');
    expect(result.stdout).toContain('Examples:');
  });
});
