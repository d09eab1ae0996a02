import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runOpenSshSftp } from '../support/openssh-sftp.ts';
import { requireTools } from '../support/require-tool.ts';
import { runProcess } from '../support/run-process.ts';
import { connectAs } from '../support/sftp-test-client.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startTestSimulator, type TestSimulator } from '../support/test-simulator.ts';

beforeAll(() => requireTools('sftp', 'sshpass', 'paramiko'));

const IN_BIB = '/xfer/metacoll/in/bib';
const NAME = '1012676.pul.holey.mrc';
const CHUNK = 32_768;

const failureOf = (promise: Promise<unknown>): Promise<Error | undefined> =>
  promise.then(
    () => undefined,
    (e: Error) => e,
  );

/** The upload's state, and whether any file with its name was ever queued or processed. */
const fateOf = (sim: TestSimulator, name: string) => {
  const files = sim.files.list().filter((f) => f.name === name);
  return { states: files.map((f) => f.state), reason: files[0]?.reason };
};

describe('a failed WRITE never yields a processed file', () => {
  it('sequential writer that ignores the failure: CLOSE fails saying which offset, the file is incomplete', async () => {
    await using sim = await startTestSimulator({ processing: 'immediate' });
    sim.faults.add({ match: { operation: 'write', nth: 2 }, action: { status: 'failure' }, times: 1 });
    const incomplete = sim.waitFor('upload:incomplete');
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    const handle = await client.open(`${IN_BIB}/${NAME}`, 'w');
    await client.write(handle, Buffer.alloc(CHUNK, 0x41), 0);
    expect(await failureOf(client.write(handle, Buffer.alloc(CHUNK, 0x42), CHUNK))).toBeDefined();
    // The client goes on as if nothing happened (as a careless script would).
    const later = await failureOf(client.write(handle, Buffer.alloc(CHUNK, 0x43), 2 * CHUNK));
    expect(later?.message).toContain(`offset ${CHUNK}`);
    const closed = await failureOf(client.close(handle));
    expect(closed?.message).toMatch(
      new RegExp(`WRITE at offset ${CHUNK} failed .*the upload was not kept and will not be processed`),
    );
    expect(await incomplete).toMatchObject({ name: NAME, state: 'incomplete' });
    expect(fateOf(sim, NAME)).toEqual({
      states: ['incomplete'],
      reason: expect.stringContaining(`offset ${CHUNK}`) as string,
    });
    expect(sim.faults.list().map((f) => f.used)).toEqual([1]);
  });

  it('pipelined writer: a times: 1 fault fails one WRITE, and the whole upload is refused at CLOSE', async () => {
    await using sim = await startTestSimulator({ processing: 'immediate' });
    sim.faults.add({ match: { operation: 'write', nth: 5 }, action: { status: 'failure' }, times: 1 });
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    const handle = await client.open(`${IN_BIB}/${NAME}`, 'w');
    const writes = Array.from({ length: 16 }, (_, i) =>
      failureOf(client.write(handle, Buffer.alloc(CHUNK, 0x41 + i), i * CHUNK)),
    );
    const failures = (await Promise.all(writes)).filter(Boolean);
    expect(failures.length).toBeGreaterThanOrEqual(1);
    expect(await failureOf(client.close(handle))).toBeDefined();
    expect(fateOf(sim, NAME).states).toEqual(['incomplete']);
    expect(sim.faults.list().map((f) => f.used)).toEqual([1]);
    expect(sim.journal.query({ type: 'file:queued' })).toEqual([]);
  });

  it('a write that leaves a hole (an offset past the end, never filled) is refused at CLOSE', async () => {
    await using sim = await startTestSimulator({ processing: 'immediate' });
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    const handle = await client.open(`${IN_BIB}/${NAME}`, 'w');
    await client.write(handle, Buffer.from('HELLO'), 0);
    await client.write(handle, Buffer.from('WORLD'), 100);
    const closed = await failureOf(client.close(handle));
    expect(closed?.message).toContain('bytes 5 to 99 were never written');
    expect(fateOf(sim, NAME).states).toEqual(['incomplete']);
  });

  it('OpenSSH sftp and paramiko: the put fails and nothing is processed', async () => {
    await using sim = await startTestSimulator({ processing: 'immediate' });
    using dir = tempDir();
    writeFileSync(join(dir.path, 'big.mrc'), Buffer.alloc(400_000, 0x41));
    for (const name of [NAME, '1012676.pul.other.mrc'])
      sim.faults.add({
        match: { operation: 'write', path: `${IN_BIB}/${name}`, nth: 3 },
        action: { status: 'failure' },
      });
    const openssh = await runOpenSshSftp({
      sim,
      dir: dir.path,
      user: 'fx_pul',
      password: 'pul-secret',
      batch: [`put big.mrc metacoll/in/bib/${NAME}`],
    });
    expect(openssh.code).not.toBe(0);
    expect(openssh.stderr).toContain('will not be processed');
    const script = `
import paramiko
t = paramiko.Transport(('127.0.0.1', ${sim.sftp.port})); t.connect(username='fx_pul', password='pul-secret')
s = paramiko.SFTPClient.from_transport(t)
try:
    s.put('big.mrc', 'metacoll/in/bib/1012676.pul.other.mrc'); print('PUT')
except IOError as e:
    print('FAILED', e)
t.close()
`;
    const paramiko = await runProcess('/usr/bin/python3', ['-'], { cwd: dir.path, input: script });
    expect(paramiko.stdout).toContain('FAILED');
    expect(sim.files.list().map((f) => f.state)).toEqual(['incomplete', 'incomplete']);
    expect(sim.journal.query({ type: 'file:queued' })).toEqual([]);
  });
});
