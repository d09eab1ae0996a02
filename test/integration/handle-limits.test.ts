import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCli } from '../support/run-cli.ts';
import { connectAs } from '../support/sftp-test-client.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startTestSimulator } from '../support/test-simulator.ts';

const upload = (n: number): string => `metacoll/in/bib/1012676.pul.h${n}.mrc`;

describe('open handles are bounded (sftp.maxHandles)', () => {
  it('refuses the handle past the cap with a failure naming it; a CLOSE frees one; folders count', async () => {
    await using sim = await startTestSimulator({ sftp: { host: '127.0.0.1', port: 0, maxHandles: 3 } });
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    const first = await client.open(upload(1), 'w');
    await client.open(upload(2), 'w');
    const folder = await new Promise<Buffer>((resolve, reject) =>
      client.sftp.opendir('metacoll/in', (error, handle) => (error ? reject(error) : resolve(handle))),
    );
    expect(folder).toBeInstanceOf(Buffer);
    const refused = await client.open(upload(4), 'w').catch((error: Error) => error);
    expect(String(refused)).toContain('this session has 3 files and folders open');
    expect(String(refused)).toContain('sftp.maxHandles');
    await client.close(first);
    await expect(client.open(upload(5), 'w')).resolves.toBeInstanceOf(Buffer);
    // Another session has a cap of its own.
    await using other = await connectAs(sim, 'fx_pul', 'pul-secret');
    await other.put(upload(6), 'x');
    expect(sim.files.list().map((f) => f.name)).toContain('1012676.pul.h6.mrc');
  });

  it('under ulimit -n 256, a session opening 1000 handles is refused at the cap and others still log in', async () => {
    using dir = tempDir();
    const serve = ['serve', '--data-dir', join(dir.path, 'data'), '--sftp-port', '0', '--admin-port', '0'];
    const server = await startCli(serve, /press Ctrl\+C/, {
      cwd: dir.path,
      prefix: ['prlimit', '--nofile=256:256'],
    });
    try {
      const port = Number(/^sftp listening on 127\.0\.0\.1:(\d+)$/m.exec(server.output())?.[1]);
      const sim = { sftp: { host: '127.0.0.1', port } };
      await using greedy = await connectAs(sim, 'fx_pul', 'pul-demo');
      let opened = 0;
      let refusal = '';
      for (let n = 0; n < 1000 && !refusal; n++) {
        await greedy.open(upload(n), 'w').then(
          () => opened++,
          (error: Error) => (refusal = error.message),
        );
      }
      // 256 less the reserve of 64 descriptors is 192 for all sessions, half of it for one.
      expect(opened).toBe(96);
      expect(refusal).toContain('this session has 96 files and folders open');
      expect(refusal).not.toMatch(/bug|internal/i);
      await using other = await connectAs(sim, 'fx_ab_64', 'ab-demo');
      await other.put('metacoll/in/bib/1234567.ab_64.other.mrc', 'x');
      const admin = /^admin listening on (\S+)$/m.exec(server.output())?.[1] ?? '';
      const files = (await (await fetch(`${admin}/api/files`)).json()) as { files: { name: string }[] };
      expect(files.files.map((f) => f.name)).toContain('1234567.ab_64.other.mrc');
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});
