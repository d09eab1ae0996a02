import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from '../support/run-cli.ts';
import { SftpTestClient } from '../support/sftp-test-client.ts';
import { tempDir } from '../support/temp-dir.ts';

const IN_BIB = '/xfer/metacoll/in/bib';

function writeConfig(dir: string, dataDir: string): string {
  const file = join(dir, 'sim.yaml');
  writeFileSync(
    file,
    `dataDir: ${dataDir}\nsftp: { port: 0 }\nadmin: { port: 0 }\nprocessing: manual\ninstitutions:\n` +
      `  - { symbol: PUL, password: p, collections: [{ id: "1012676", type: bib }] }\n`,
  );
  return file;
}

async function serve(config: string) {
  const cli = await startCli(['serve', '--config', config], /press Ctrl\+C/);
  const port = Number(/sftp listening on 127\.0\.0\.1:(\d+)/.exec(cli.output())?.[1]);
  const admin = /admin listening on (\S+)/.exec(cli.output())?.[1] ?? '';
  return { ...cli, port, admin };
}

async function files(admin: string): Promise<{ name: string; state: string }[]> {
  const res = await fetch(`${admin}/api/files`);
  return ((await res.json()) as { files: { name: string; state: string }[] }).files;
}

describe('crash leftovers', () => {
  it('after kill -9 mid-upload, the partial file is nowhere a client can see it', async () => {
    using dir = tempDir();
    const dataDir = join(dir.path, 'data');
    const config = writeConfig(dir.path, dataDir);
    const first = await serve(config);
    const client = await SftpTestClient.connect({
      host: '127.0.0.1',
      port: first.port,
      username: 'fx_pul',
      password: 'p',
    });
    const handle = await client.open(`${IN_BIB}/1012676.pul.partial.mrc`, 'w');
    await client.write(handle, Buffer.alloc(200_000, 0x41), 0);
    expect((await files(first.admin)).map((f) => f.state)).toEqual(['receiving']);
    first.child.kill('SIGKILL');
    await first.exited;
    client.drop();

    const second = await serve(config);
    try {
      expect(await files(second.admin)).toMatchObject([
        { name: '1012676.pul.partial.mrc', state: 'incomplete' },
      ]);
      await using again = await SftpTestClient.connect({
        host: '127.0.0.1',
        port: second.port,
        username: 'fx_pul',
        password: 'p',
      });
      expect(await again.readdir(IN_BIB)).toEqual([]);
      await expect(again.get(`${IN_BIB}/1012676.pul.partial.mrc`)).rejects.toThrow();
      expect(readdirSync(join(dataDir, 'staging'))).toEqual([]);
      expect(
        existsSync(join(dataDir, 'xfer', 'pul', 'metacoll', 'in', 'bib', '1012676.pul.partial.mrc')),
      ).toBe(false);
    } finally {
      second.child.kill('SIGINT');
      await second.exited;
    }
  });

  it('a corrupt state database stops start-up with exit 2, naming the file and what to do', async () => {
    using dir = tempDir();
    const dataDir = join(dir.path, 'data');
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, 'state.sqlite'), Buffer.alloc(8192, 0x5a));
    const result = await runCli(['serve', '--config', writeConfig(dir.path, dataDir)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(join(dataDir, 'state.sqlite'));
    expect(result.stderr).toMatch(
      /it is not a SQLite database\. Move it aside .* or start with a new data dir/,
    );
    expect(result.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    expect(result.stderr).not.toMatch(/bug/);
  });
});
