import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../simulator/clock/clock.ts';
import { failure } from '../support/expect-failure.ts';
import { connectAs } from '../support/sftp-test-client.ts';
import { startTestSimulator } from '../support/test-simulator.ts';
import { tempDir } from '../support/temp-dir.ts';

describe('a completed upload vanishes into the processing queue', () => {
  it('is recorded with size, SHA-256, account, collection and kind, then is gone from in/', async () => {
    await using sim = await startTestSimulator();
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    const queued = sim.waitFor('file:queued');
    await client.put('/xfer/metacoll/in/bib/1012676.pul.bibs.20260115.mrc', 'MARC bytes');
    const record = await queued;
    expect(record).toMatchObject({
      account: 'fx_pul',
      senderSymbol: 'PUL',
      targetSymbol: 'PUL',
      name: '1012676.pul.bibs.20260115.mrc',
      kind: 'bib',
      collectionId: '1012676',
      state: 'queued',
      size: 10,
      sha256: createHash('sha256').update('MARC bytes').digest('hex'),
    });
    expect(record.receivedAt).toBeTypeOf('number');
    expect(await client.readdir('metacoll/in/bib')).toEqual([]);
    expect((await failure(client.get('metacoll/in/bib/1012676.pul.bibs.20260115.mrc'))).code).toBe(2);
    expect(readFileSync(record.storedPath ?? '').toString()).toBe('MARC bytes');
  });

  it('hashes uploads written out of order, overlapping, or under a temporary name then renamed', async () => {
    await using sim = await startTestSimulator();
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    const bytes = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 251));
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const upload = async (path: string, writes: [number, number][]): Promise<void> => {
      const handle = await client.open(path, 'w');
      for (const [from, to] of writes) await client.write(handle, bytes.subarray(from, to), from);
      await client.close(handle);
    };
    let queued = sim.waitFor('file:queued');
    await upload('metacoll/in/bib/1012676.pul.ahead.mrc', [
      [0, 100_000],
      [200_000, 300_000],
      [100_000, 200_000],
    ]);
    expect(await queued).toMatchObject({ size: 300_000, sha256 });
    queued = sim.waitFor('file:queued');
    await upload('metacoll/in/bib/1012676.pul.overlap.mrc', [
      [0, 200_000],
      [100_000, 300_000],
    ]);
    expect(await queued).toMatchObject({ size: 300_000, sha256 });
    queued = sim.waitFor('file:queued');
    await upload('metacoll/in/bib/1012676.pul.renamed.mrc.tmp', [[0, 300_000]]);
    await client.rename(
      'metacoll/in/bib/1012676.pul.renamed.mrc.tmp',
      'metacoll/in/bib/1012676.pul.renamed.mrc',
    );
    expect(await queued).toMatchObject({ name: '1012676.pul.renamed.mrc', size: 300_000, sha256 });
  });

  it('stays visible for the pickup delay, measured on the injected clock', async () => {
    const clock = new ManualClock();
    await using sim = await startTestSimulator({ pickupDelay: '30s' }, { clock });
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    await client.put('metacoll/in/lhr/1012677.pul.lhr.mrc', 'LHR');
    expect((await client.readdir('metacoll/in/lhr')).map((e) => e.filename)).toEqual(['1012677.pul.lhr.mrc']);
    expect(sim.files.list()[0]).toMatchObject({ state: 'received', kind: 'lhr', collectionId: '1012677' });
    // Continuing the received file is refused; a new upload of the name supersedes it (D71).
    const append = await failure(client.open('metacoll/in/lhr/1012677.pul.lhr.mrc', 'a'));
    expect(append.message).toContain('waiting to be picked up');
    await client.put('metacoll/in/lhr/1012677.pul.lhr.mrc', 'again');
    expect(sim.files.list().map((f) => f.state)).toEqual(['superseded', 'received']);
    clock.advance(29_999);
    expect(sim.files.list()[1]?.state).toBe('received');
    clock.advance(1);
    expect(sim.files.list()[1]).toMatchObject({ state: 'queued', size: 5 });
    expect(await client.readdir('metacoll/in/lhr')).toEqual([]);
  });

  it('just after pickup, STAT and SETSTAT answer for the accepted file from any connection; later it is gone', async () => {
    const clock = new ManualClock();
    await using sim = await startTestSimulator({}, { clock });
    await using uploader = await connectAs(sim, 'fx_pul', 'pul-secret');
    const path = 'metacoll/in/bib/1012676.pul.checked.mrc';
    await uploader.put(path, 'seven b');
    expect(sim.files.list()[0]?.state).toBe('queued');
    // rclone sets the time over another connection of its pool, then stats the file.
    await using checker = await connectAs(sim, 'ab_64', 'ab-secret');
    await using other = await connectAs(sim, 'pul', 'pul-secret');
    await other.setstat(path, { mtime: 1_700_000_000, atime: 1_700_000_000 });
    expect(await other.stat(path)).toMatchObject({ size: 7, mode: 0o100644 });
    await other.setstat(path, { mode: 0o644 });
    const mode = await failure(other.setstat(path, { mode: 0o600 }));
    expect(mode.message).toContain('the mode cannot be changed');
    const truncate = await failure(other.setstat(path, { size: 0 }));
    expect(truncate.message).toContain('Failed to truncate');
    expect(truncate.message).toContain('accepted and picked up for processing');
    const resume = await failure(other.open(path, 'a'));
    expect(resume.message).toMatch(/^Failed to resume .*accepted and picked up for processing/);
    const read = await failure(other.open(path, 'r'));
    expect(read.message).toMatch(/^Failed to download .*accepted and picked up for processing/);
    expect(read.message).not.toContain('Uploads go to');
    // Another institution's account has no such upload.
    expect((await failure(checker.stat(path))).message).not.toContain('picked up');
    expect(
      sim.journal.list({ type: 'upload:probed' }).map((e) => (e.data as { operation: string }).operation),
    ).toEqual(['setstat', 'stat', 'setstat', 'setstat', 'truncate', 'resume', 'download']);
    expect(sim.files.list()).toHaveLength(1);
    clock.advance(60_001);
    const later = await failure(other.stat(path));
    expect(later.message).toContain('Failed to stat');
    expect(later.message).toContain('accepted and picked up for processing');
  });

  it('a file removed before pickup is never queued', async () => {
    const clock = new ManualClock();
    await using sim = await startTestSimulator({ pickupDelay: '1m' }, { clock });
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    await client.put('metacoll/in/bib/1012676.pul.oops.mrc', 'x');
    await client.unlink('metacoll/in/bib/1012676.pul.oops.mrc');
    clock.advance(120_000);
    expect(sim.files.list()[0]?.state).toBe('removed');
  });

  it('a connection that drops before CLOSE leaves an incomplete upload, never queued', async () => {
    await using sim = await startTestSimulator();
    const client = await connectAs(sim, 'fx_pul', 'pul-secret');
    const handle = await client.open('metacoll/in/bib/1012676.pul.partial.mrc', 'w');
    await client.write(handle, Buffer.from('half a file'), 0);
    const incomplete = sim.waitFor('upload:incomplete');
    client.drop();
    expect(await incomplete).toMatchObject({ name: '1012676.pul.partial.mrc', state: 'incomplete' });
    await using again = await connectAs(sim, 'fx_pul', 'pul-secret');
    expect(await again.readdir('metacoll/in/bib')).toEqual([]);
    expect(sim.files.list({ state: 'queued' })).toEqual([]);
  });
});

describe('file-name rules at OPEN', () => {
  it('strict mode refuses with PERMISSION_DENIED, the rule and the fix, and records the refusal', async () => {
    await using sim = await startTestSimulator();
    await using client = await connectAs(sim, 'fx_ab_64', 'ab-secret');
    const error = await failure(client.put('metacoll/in/bib/1234567.ab@.bibs.mrc', 'x'));
    expect(error.code).toBe(3);
    expect(error.message).toBe(
      `Failed to upload "1234567.ab@.bibs.mrc": '@' in the symbol must be written '_64': 1234567.ab_64.bibs.mrc`,
    );
    expect(sim.files.list()[0]).toMatchObject({
      state: 'refused',
      violations: [{ code: 'unencoded-special-character' }],
    });
    const denied = sim.journal.list({ type: 'upload:refused' });
    expect(denied).toHaveLength(1);
    await client.put('metacoll/in/bib/1234567.ab_64.bibs.mrc', 'x');
  });

  it('faithful mode accepts, then halts a file with an unencoded symbol', async () => {
    await using sim = await startTestSimulator({ fileNames: 'faithful' });
    await using client = await connectAs(sim, 'fx_ab_64', 'ab-secret');
    const halted = sim.waitFor('file:halted');
    await client.put('metacoll/in/bib/1234567.ab@.bibs.mrc', 'x');
    expect(await halted).toMatchObject({
      state: 'halted',
      violations: [{ code: 'unencoded-special-character' }],
      reason: "'@' in the symbol must be written '_64'",
    });
  });

  it('faithful mode routes a missing or unknown collection ID to the default collection', async () => {
    await using sim = await startTestSimulator({ fileNames: 'faithful' });
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    await client.put('metacoll/in/bib/9999999.pul.bibs.mrc', 'x');
    await client.put('metacoll/in/lhr/pul.holdings.mrc', 'y');
    const files = sim.files.list();
    expect(files.map((f) => [f.state, f.collectionId, f.routedToDefault])).toEqual([
      ['queued', '1012676', true],
      ['queued', '1012677', true],
    ]);
    expect(files[0]?.violations[0]?.code).toBe('collection-id-unknown');
  });

  it('lets temporary names through and checks the final name at RENAME', async () => {
    await using sim = await startTestSimulator();
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    await client.put('metacoll/in/bib/bad name.mrc.filepart', 'x');
    expect(sim.files.list().map((f) => [f.name, f.state])).toEqual([['bad name.mrc.filepart', 'temporary']]);
    const error = await failure(
      client.rename('metacoll/in/bib/bad name.mrc.filepart', 'metacoll/in/bib/bad name.mrc'),
    );
    expect(error.message).toContain('spaces are not allowed in file names');
    expect(sim.files.list().map((f) => [f.name, f.state, f.tempName])).toEqual([
      ['bad name.mrc.filepart', 'temporary', null],
      ['bad name.mrc', 'refused', 'bad name.mrc.filepart'],
    ]);
  });
});

describe('uploads on behalf of another institution', () => {
  it('go to /xfer/<SYMBOL>/metacoll/in and are recorded for that institution', async () => {
    await using sim = await startTestSimulator();
    await using client = await connectAs(sim, 'fx_vnd', 'vnd-secret');
    expect((await client.readdir('/xfer')).map((e) => e.filename)).toEqual(['metacoll', 'PUL']);
    const queued = sim.waitFor('file:queued');
    await client.put('/xfer/PUL/metacoll/in/bib/1012676.pul.vendor.mrc', 'x');
    expect(await queued).toMatchObject({ senderSymbol: 'VND', targetSymbol: 'PUL', collectionId: '1012676' });
    const wrong = await failure(client.put('/xfer/PUL/metacoll/in/bib/1030040.vnd.x.mrc', 'x'));
    expect(wrong.message).toContain('collection ID 1030040 is not one');
  });

  it('are not possible without uploadsFor', async () => {
    await using sim = await startTestSimulator();
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    expect((await failure(client.put('/xfer/VND/metacoll/in/bib/1030040.vnd.x.mrc', 'x'))).code).toBe(2);
  });
});

describe('restarts', () => {
  it('keep the host key and resume pickups that were waiting', async () => {
    const clock = new ManualClock();
    using dir = tempDir();
    const first = await startTestSimulator({ pickupDelay: '10s' }, { clock, dataDir: dir.path });
    const fingerprint = first.sftp.hostKeyFingerprint;
    const client = await connectAs(first, 'fx_pul', 'pul-secret');
    await client.put('metacoll/in/bib/1012676.pul.restart.mrc', 'x');
    await client[Symbol.asyncDispose]();
    await first.stop();

    await using second = await startTestSimulator({ pickupDelay: '10s' }, { clock, dataDir: dir.path });
    expect(second.sftp.hostKeyFingerprint).toBe(fingerprint);
    expect(second.files.list()[0]?.state).toBe('received');
    clock.advance(10_000);
    const record = second.files.list()[0];
    expect(record?.state).toBe('queued');
    expect(existsSync(record?.storedPath ?? '')).toBe(true);
  });
});
