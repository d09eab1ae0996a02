import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure } from '../support/expect-failure.ts';
import { connectAs, type SftpTestClient } from '../support/sftp-test-client.ts';
import { startTestSimulator, type TestSimulator } from '../support/test-simulator.ts';

const STATUS = { EOF: 1, NO_SUCH_FILE: 2, PERMISSION_DENIED: 3, FAILURE: 4, OP_UNSUPPORTED: 8 };

let sim: TestSimulator;
let client: SftpTestClient;

beforeAll(async () => {
  // A pickup delay keeps finished uploads visible so the operations on them can be observed.
  sim = await startTestSimulator({ pickupDelay: '1h' });
  client = await connectAs(sim, 'fx_pul', 'pul-secret');
});

afterAll(async () => {
  await client?.[Symbol.asyncDispose]();
  await sim?.stop();
});

describe('REALPATH', () => {
  it('starts in /xfer and resolves relative and absolute paths', async () => {
    expect(await client.realpath('.')).toBe('/xfer');
    expect(await client.realpath('metacoll/in/bib')).toBe('/xfer/metacoll/in/bib');
    expect(await client.realpath('/xfer/metacoll/in/../reports')).toBe('/xfer/metacoll/reports');
  });

  it('keeps `..` inside the chroot', async () => {
    expect(await client.realpath('../../..')).toBe('/');
    const error = await failure(client.realpath('../../etc/passwd'));
    expect(error.code).toBe(STATUS.NO_SUCH_FILE);
  });
});

describe('STAT, LSTAT, FSTAT', () => {
  it('describes folders, read-only and writable', async () => {
    const bib = await client.stat('metacoll/in/bib');
    expect(bib.isDirectory()).toBe(true);
    expect(bib.mode & 0o777).toBe(0o755);
    const reports = await client.lstat('/xfer/metacoll/reports');
    expect(reports.mode & 0o777).toBe(0o555);
  });

  it('describes files by size and reports missing ones as NO_SUCH_FILE', async () => {
    await client.put('metacoll/in/bib/1012676.pul.stat.mrc', 'twelve bytes');
    const stats = await client.stat('metacoll/in/bib/1012676.pul.stat.mrc');
    expect(stats.isFile()).toBe(true);
    expect(stats.size).toBe(12);
    const handle = await client.open('metacoll/in/bib/1012676.pul.stat.mrc', 'r');
    expect((await client.fstat(handle)).size).toBe(12);
    await client.close(handle);
    expect((await failure(client.stat('metacoll/in/bib/nothing.mrc'))).code).toBe(STATUS.NO_SUCH_FILE);
  });
});

describe('OPENDIR and READDIR', () => {
  it('lists the fixed tree', async () => {
    expect((await client.readdir('.')).map((e) => e.filename)).toEqual(['metacoll']);
    expect((await client.readdir('/xfer/metacoll')).map((e) => e.filename).sort()).toEqual([
      'in',
      'out',
      'reports',
    ]);
    expect((await client.readdir('metacoll/out/ongoing')).map((e) => e.filename).sort()).toEqual([
      'deletes',
      'new',
      'updates',
    ]);
  });

  it('pages long listings and ends with EOF', async () => {
    const reports = join(sim.dataDir, 'xfer', 'pul', 'metacoll', 'reports');
    for (let i = 0; i < 150; i++)
      writeFileSync(join(reports, `report-${String(i).padStart(3, '0')}.txt`), `r${i}`);
    const entries = await client.readdir('metacoll/reports');
    expect(entries).toHaveLength(150);
    expect(entries[0]?.longname).toMatch(/^-r--r--r-- .* report-000\.txt$/);
  });

  it('refuses to list a path outside the tree', async () => {
    expect((await failure(client.readdir('/etc'))).code).toBe(STATUS.NO_SUCH_FILE);
  });
});

describe('OPEN, WRITE, READ, CLOSE', () => {
  it('honours EXCL: creating an existing file fails', async () => {
    await client.put('metacoll/in/bib/1012676.pul.excl.mrc', 'first');
    const error = await failure(client.open('metacoll/in/bib/1012676.pul.excl.mrc', 'wx'));
    expect(error.code).toBe(STATUS.FAILURE);
  });

  it('writes pipelined, out-of-order chunks at their offsets', async () => {
    const data = Buffer.alloc(256 * 1024);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7) % 251;
    const handle = await client.open('metacoll/in/bib/1012676.pul.pipelined.mrc', 'w');
    const chunk = 32 * 1024;
    const offsets = Array.from({ length: data.length / chunk }, (_, i) => i * chunk).reverse();
    await Promise.all(
      offsets.map((offset) => client.write(handle, data.subarray(offset, offset + chunk), offset)),
    );
    await client.close(handle);
    expect(await client.get('metacoll/in/bib/1012676.pul.pipelined.mrc')).toEqual(data);
    const [record] = sim.files.list().filter((f) => f.name === '1012676.pul.pipelined.mrc');
    expect(record?.size).toBe(data.length);
  });

  it('appends with APPEND and truncates with TRUNC on temporary names', async () => {
    const path = 'metacoll/in/bib/1012676.pul.append.mrc.part';
    await client.put(path, 'abc');
    const handle = await client.open(path, 'a');
    await client.write(handle, Buffer.from('def'), 0);
    await client.close(handle);
    expect((await client.get(path)).toString()).toBe('abcdef');
    await client.put(path, 'xy');
    expect((await client.get(path)).toString()).toBe('xy');
  });

  it('opening a missing file for reading is NO_SUCH_FILE', async () => {
    expect((await failure(client.open('metacoll/reports/none.txt', 'r'))).code).toBe(STATUS.NO_SUCH_FILE);
  });

  it('refuses writes into read-only folders with PERMISSION_DENIED and a hint', async () => {
    for (const folder of ['metacoll/reports', 'metacoll/out/ongoing/new', '.', 'metacoll']) {
      const error = await failure(client.open(`${folder}/1012676.pul.x.mrc`, 'w'));
      expect(error.code).toBe(STATUS.PERMISSION_DENIED);
      expect(error.message).toContain('this folder is read-only');
    }
  });

  it('refuses opening a folder as a file', async () => {
    expect((await failure(client.open('metacoll/in/bib', 'r'))).code).toBe(STATUS.FAILURE);
  });
});

describe('RENAME', () => {
  it('fails when the target exists, as SFTP v3 requires', async () => {
    await client.put('metacoll/in/bib/a.mrc.part', 'a');
    await client.put('metacoll/in/bib/b.mrc.part', 'b');
    const error = await failure(client.rename('metacoll/in/bib/a.mrc.part', 'metacoll/in/bib/b.mrc.part'));
    expect(error.code).toBe(STATUS.FAILURE);
    expect(error.message).toContain('already exists');
  });

  it('applies the name rules to the final name of a temporary upload', async () => {
    await client.put('metacoll/in/bib/upload.filepart', 'data');
    const error = await failure(
      client.rename('metacoll/in/bib/upload.filepart', 'metacoll/in/bib/1012676.pul@.x.mrc'),
    );
    expect(error.code).toBe(STATUS.PERMISSION_DENIED);
    expect(error.message).toContain("the institution symbol 'pul', not 'pul@': 1012676.pul.x.mrc");
    await client.rename('metacoll/in/bib/upload.filepart', 'metacoll/in/bib/1012676.pul.renamed.mrc');
    const record = sim.files.list().find((f) => f.name === '1012676.pul.renamed.mrc');
    expect(record).toMatchObject({ state: 'received', tempName: 'upload.filepart', size: 4 });
  });

  it('refuses renames out of the upload folders', async () => {
    await client.put('metacoll/in/bib/c.mrc.part', 'c');
    const error = await failure(client.rename('metacoll/in/bib/c.mrc.part', 'metacoll/reports/c.txt'));
    expect(error.code).toBe(STATUS.PERMISSION_DENIED);
  });
});

describe('REMOVE, SETSTAT, MKDIR, RMDIR and unsupported operations', () => {
  it('removes a file in an upload folder; a second remove is NO_SUCH_FILE', async () => {
    await client.put('metacoll/in/bib/gone.mrc.part', 'x');
    await client.unlink('metacoll/in/bib/gone.mrc.part');
    expect((await failure(client.unlink('metacoll/in/bib/gone.mrc.part'))).code).toBe(STATUS.NO_SUCH_FILE);
  });

  it('refuses removing reports', async () => {
    const error = await failure(client.unlink('metacoll/reports/report-000.txt'));
    expect(error.code).toBe(STATUS.PERMISSION_DENIED);
  });

  it('applies SETSTAT times and sizes, and refuses a mode it would not keep', async () => {
    await client.put('metacoll/in/bib/t.mrc.part', 'xyz');
    await client.setstat('metacoll/in/bib/t.mrc.part', { size: 1 });
    await client.setstat('metacoll/in/bib/t.mrc.part', { mtime: 1_700_000_000, atime: 1_700_000_000 });
    const stats = await client.stat('metacoll/in/bib/t.mrc.part');
    expect(stats).toMatchObject({ mtime: 1_700_000_000, size: 1 });
    const handle = await client.open('metacoll/in/bib/t.mrc.part', 'r');
    await client.fsetstat(handle, { mode: 0o644 });
    const refused = await failure(client.fsetstat(handle, { mode: 0o600 }));
    expect(refused.code).toBe(STATUS.PERMISSION_DENIED);
    expect(refused.message).toContain('its mode stays 0644');
    await client.close(handle);
    expect((await client.stat('metacoll/in/bib/t.mrc.part')).mode & 0o777).toBe(0o644);
  });

  it('gives folders their real times, not 1970', async () => {
    const entries = await client.readdir('metacoll/in');
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) expect(entry.attrs.mtime).toBeGreaterThan(1_600_000_000);
  });

  it('refuses MKDIR and RMDIR: the tree is fixed', async () => {
    expect((await failure(client.mkdir('metacoll/in/bib/sub'))).code).toBe(STATUS.PERMISSION_DENIED);
    expect((await failure(client.rmdir('metacoll/in/bib'))).code).toBe(STATUS.PERMISSION_DENIED);
  });

  it('answers SYMLINK and READLINK with OP_UNSUPPORTED', async () => {
    expect((await failure(client.symlink('/etc/passwd', 'metacoll/in/bib/link'))).code).toBe(
      STATUS.OP_UNSUPPORTED,
    );
    expect((await failure(client.readlink('metacoll/in/bib'))).code).toBe(STATUS.OP_UNSUPPORTED);
  });

  it('operations on an unknown handle fail cleanly', async () => {
    const bogus = Buffer.from([0, 0, 0x7f, 0xff]);
    expect((await failure(client.close(bogus))).code).toBe(STATUS.FAILURE);
  });
});
