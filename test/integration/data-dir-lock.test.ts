import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectAs } from '../support/sftp-test-client.ts';
import { runCli, startCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startTestSimulator } from '../support/test-simulator.ts';

const LOCK = 'datasync-sim.lock';

/** A pid that surely ran and surely runs no more. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('a data dir is locked by the server that uses it', () => {
  it("a second serve on it exits 69 naming the holder, and leaves the first one's upload alone", async () => {
    using dir = tempDir();
    const dataDir = join(dir.path, 'data');
    const serve = ['serve', '--data-dir', dataDir, '--sftp-port', '0', '--admin-port', '0'];
    const first = await startCli(serve, /press Ctrl\+C/, { cwd: dir.path });
    const port = Number(/^sftp listening on 127\.0\.0\.1:(\d+)$/m.exec(first.output())?.[1]);
    const holder = JSON.parse(readFileSync(join(dataDir, LOCK), 'utf8')) as { pid: number };
    expect(holder.pid).toBe(first.child.pid);

    // An upload in flight on the first server: its bytes sit in staging until CLOSE.
    await using client = await connectAs({ sftp: { host: '127.0.0.1', port } }, 'fx_pul', 'pul-demo');
    const name = 'metacoll/in/bib/1012676.pul.in-flight.mrc';
    const handle = await client.open(name, 'w');
    await client.write(handle, Buffer.from('first half '), 0);

    const second = await runCli(serve, { cwd: dir.path });
    expect(second.code).toBe(69);
    expect(second.stderr).toContain(`it is in use by process ${first.child.pid} on this host`);
    expect(second.stderr).toContain('Stop that simulator, or give this one another data dir (--data-dir DIR');

    await client.write(handle, Buffer.from('second half'), 11);
    await client.close(handle);
    const files = (await (await fetch(`${adminUrl(first.output())}/api/files`)).json()) as {
      files: { name: string; size: number; state: string }[];
    };
    expect(files.files.find((f) => f.name === '1012676.pul.in-flight.mrc')).toMatchObject({ size: 22 });
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(existsSync(join(dataDir, LOCK))).toBe(false);
  });

  it('takes over a lock whose process is gone, and releases it at stop', async () => {
    using dir = tempDir();
    const pid = deadPid();
    writeFileSync(join(dir.path, LOCK), JSON.stringify({ pid, host: hostname(), startedAt: 'earlier' }));
    const sim = await startTestSimulator({}, { dataDir: dir.path });
    expect(JSON.parse(readFileSync(join(dir.path, LOCK), 'utf8'))).toMatchObject({ pid: process.pid });
    await sim.stop();
    expect(existsSync(join(dir.path, LOCK))).toBe(false);
  });

  it('refuses a second simulator on the same dir in the same process, until the first stops', async () => {
    using dir = tempDir();
    const sim = await startTestSimulator({}, { dataDir: dir.path });
    await expect(startTestSimulator({}, { dataDir: dir.path })).rejects.toMatchObject({
      code: 'DATA_DIR_LOCKED',
    });
    await sim.stop();
    await using again = await startTestSimulator({}, { dataDir: dir.path });
    expect(again.status().status).toBe('ok');
  });

  it('refuses a lock held on another host, saying how to clear it if that process is gone', async () => {
    using dir = tempDir();
    const lock = join(dir.path, LOCK);
    writeFileSync(
      lock,
      JSON.stringify({ pid: 4242, host: 'other-host', startedAt: '2026-01-01T00:00:00.000Z' }),
    );
    await expect(startTestSimulator({}, { dataDir: dir.path })).rejects.toThrow(
      `it is in use by process 4242 on host other-host, started 2026-01-01T00:00:00.000Z. ` +
        'Stop that simulator, or give this one another data dir (--data-dir DIR, or dataDir in the config). ' +
        `If that process is gone, delete ${lock}.`,
    );
  });
});

function adminUrl(output: string): string {
  return /^admin listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(output)?.[1] ?? '';
}
