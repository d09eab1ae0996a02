import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../simulator/clock/clock.ts';
import { connectAs } from '../support/sftp-test-client.ts';
import { startTestSimulator } from '../support/test-simulator.ts';

const IN_BIB = '/xfer/metacoll/in/bib';

describe('retention', () => {
  it('deletes the stored copy of a processed upload after retention.uploads; its record stays', async () => {
    const clock = new ManualClock();
    await using sim = await startTestSimulator({ retention: { uploads: '7d' } }, { clock });
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    await client.put(`${IN_BIB}/1012676.pul.kept.mrc`, 'not really marc');
    await sim.processing.run();
    const [file] = sim.files.list();
    const stored = file?.storedPath ?? '';
    expect(existsSync(stored)).toBe(true);
    clock.advance(6 * 86_400_000);
    expect(existsSync(stored)).toBe(true);
    const removed = sim.waitFor('storage:removed');
    clock.advance(2 * 86_400_000);
    expect((await removed).name).toBe('1012676.pul.kept.mrc');
    expect(existsSync(stored)).toBe(false);
    expect(sim.files.list()).toMatchObject([{ name: '1012676.pul.kept.mrc', storedPath: null }]);
  });

  it('removes a temporary-name file its session left behind after the pickup delay, and journals it', async () => {
    const clock = new ManualClock();
    await using sim = await startTestSimulator({ pickupDelay: '30s' }, { clock });
    const client = await connectAs(sim, 'fx_pul', 'pul-secret');
    await client.put(`${IN_BIB}/1012676.pul.left.mrc.filepart`, 'half an upload');
    await client[Symbol.asyncDispose]();
    await using other = await connectAs(sim, 'fx_pul', 'pul-secret');
    expect((await other.readdir(IN_BIB)).map((e) => e.filename)).toEqual(['1012676.pul.left.mrc.filepart']);
    const removed = sim.waitFor('storage:removed');
    clock.advance(30_000);
    expect((await removed).name).toBe('1012676.pul.left.mrc.filepart');
    expect(await other.readdir(IN_BIB)).toEqual([]);
    expect(sim.journal.list({ type: 'storage:removed' })).toHaveLength(1);
  });
});
