import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectAs } from '../support/sftp-test-client.ts';
import { smallTmpfs } from '../support/small-tmpfs.ts';
import { startTestSimulator } from '../support/test-simulator.ts';

const IN_BIB = '/xfer/metacoll/in/bib';

function filesIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}

describe('a full disk', () => {
  it('answers the upload with a failure, keeps nothing, goes on serving and starts again', async () => {
    using disk = smallTmpfs(24);
    const dataDir = join(disk.path, 'data');
    const options = { dataDir };
    const overrides = { minFreeSpace: 0, processing: 'manual' as const };
    {
      await using sim = await startTestSimulator(overrides, options);
      await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
      const error = await client
        .put(`${IN_BIB}/1012676.pul.big.mrc`, Buffer.alloc(40 * 1024 * 1024, 0x41))
        .then(
          () => undefined,
          (e: Error) => e,
        );
      expect(error?.message).toMatch(/the simulator's disk is full; the upload was not kept/);
      expect(error?.message).not.toContain(disk.path);
      const [record] = sim.files.list({ state: 'incomplete' });
      expect(record?.name).toBe('1012676.pul.big.mrc');
      expect(record?.reason).toMatch(/disk is full/);
      expect(filesIn(join(dataDir, 'staging'))).toEqual([]);
      expect((await client.readdir(IN_BIB)).map((e) => e.filename)).toEqual([]);

      // Everyone else is still served: the partial file is gone, so a small upload fits.
      await client.put(`${IN_BIB}/1012676.pul.small.mrc`, 'small');
      expect(sim.files.list({ state: 'queued' }).map((f) => f.name)).toEqual(['1012676.pul.small.mrc']);
    }
    await using again = await startTestSimulator(overrides, options);
    expect(again.files.list({ state: 'queued' }).map((f) => f.name)).toEqual(['1012676.pul.small.mrc']);
  });

  it('refuses new uploads at OPEN below minFreeSpace', async () => {
    await using sim = await startTestSimulator({ minFreeSpace: '1000000GB' });
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    const error = await client.open(`${IN_BIB}/1012676.pul.x.mrc`, 'w').then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/below its minFreeSpace of 1000000 GB; new uploads are refused/);
    expect(sim.files.list()).toEqual([]);
  });
});

describe('quotas', () => {
  it('fail the WRITE that crosses the quota, naming quota and usage, and keep nothing', async () => {
    await using sim = await startTestSimulator({
      institutions: [
        {
          symbol: 'PUL',
          password: 'pul-secret',
          quota: '1MB',
          collections: [{ id: '1012676', type: 'bib', default: true }],
        },
      ],
    });
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    await client.put(`${IN_BIB}/1012676.pul.first.mrc`, Buffer.alloc(600_000, 0x41));
    const handle = await client.open(`${IN_BIB}/1012676.pul.second.mrc`, 'w');
    await client.write(handle, Buffer.alloc(300_000, 0x41), 0);
    const error = await client.write(handle, Buffer.alloc(300_000, 0x41), 300_000).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/institution PUL would hold 1.2 MB, over its quota of 1 MB/);
    await expect(client.close(handle)).rejects.toThrow(/quota/);
    const second = sim.files.list().find((f) => f.name === '1012676.pul.second.mrc');
    expect(second?.state).toBe('incomplete');
  });
});

describe('names and paths', () => {
  it('a name too long for the disk is refused without a record and without the server path', async () => {
    await using sim = await startTestSimulator();
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    const name = `1012676.pul.${'x'.repeat(300)}.mrc`;
    const error = await client.put(`${IN_BIB}/${name}`, 'data').then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/names are at most 255 bytes/);
    expect(error?.message).not.toContain(sim.dataDir);
    expect(sim.files.list()).toEqual([]);
  });

  it('two sessions writing the same final name at once keep their own bytes and checksums', async () => {
    await using sim = await startTestSimulator({ pickupDelay: '1h' });
    await using a = await connectAs(sim, 'fx_pul', 'pul-secret');
    await using b = await connectAs(sim, 'fx_pul', 'pul-secret');
    const path = `${IN_BIB}/1012676.pul.same.mrc`;
    const ha = await a.open(path, 'w');
    const hb = await b.open(path, 'w');
    for (let i = 0; i < 4; i++) {
      await a.write(ha, Buffer.alloc(10_000, 0x61 + i), i * 10_000);
      await b.write(hb, Buffer.alloc(7_000, 0x71 + i), i * 7_000);
    }
    await a.close(ha);
    await b.close(hb);
    const files = sim.files.list().filter((f) => f.name === '1012676.pul.same.mrc');
    // The one closed last is the one processed; the other is superseded (D71).
    expect(files.map((f) => [f.state, f.size])).toEqual([
      ['superseded', 40_000],
      ['received', 28_000],
    ]);
    expect(files[0]?.sha256).not.toBe(files[1]?.sha256);
    expect((await a.get(path)).length).toBe(28_000);
  });
});
