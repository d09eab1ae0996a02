import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../simulator/clock/clock.ts';
import { iso2709 } from '../../oclc/marc/write-marc.ts';
import { runOpenSshSftp } from '../support/openssh-sftp.ts';
import { requireTools } from '../support/require-tool.ts';
import { connectAs } from '../support/sftp-test-client.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startTestSimulator, type TestSimulator } from '../support/test-simulator.ts';

beforeAll(() => requireTools('sftp', 'sshpass'));

const NAME = '1012676.pul.same.mrc';
const PATH = `metacoll/in/bib/${NAME}`;
const bib = (lsn: string, ocn: string) =>
  iso2709({
    leader: '00000nam a2200000 i 4500',
    fields: [
      ['001', lsn],
      ['008', '260115s2020    nyu           000 0 eng d'],
      ['035', '  ', 'a', `(OCoLC)${ocn}`],
      ['245', '10', 'a', `Title ${lsn}`],
    ],
  });

const states = (sim: TestSimulator) => sim.files.list().map((f) => [f.name, f.state]);
const sameName = (sim: TestSimulator) => sim.journal.verify({ match: { operation: 'same-name' }, count: 0 });

describe("OCLC's same-name rule: only the last file of a name in a day is processed", () => {
  it('an earlier file waiting for pickup is superseded, and OpenSSH sftp may upload the name again', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 15, 15));
    await using sim = await startTestSimulator({ processing: 'immediate', pickupDelay: '5m' }, { clock });
    using dir = tempDir();
    writeFileSync(join(dir.path, 'first.mrc'), bib('1', '100'));
    writeFileSync(join(dir.path, 'second.mrc'), bib('1', '300'));
    const put = (file: string) =>
      runOpenSshSftp({
        sim,
        dir: dir.path,
        user: 'fx_pul',
        password: 'pul-secret',
        batch: [`put ${file} ${PATH}`],
      });
    expect((await put('first.mrc')).code).toBe(0);
    const superseded = sim.waitFor('file:superseded');
    const again = await put('second.mrc');
    expect(again.code, again.stderr).toBe(0);
    expect(await superseded).toMatchObject({
      name: NAME,
      reason: expect.stringContaining('arrived later that day') as string,
    });
    expect(states(sim)).toEqual([
      [NAME, 'superseded'],
      [NAME, 'received'],
    ]);
    const processed = sim.waitFor('file:processed');
    clock.advance(5 * 60_000);
    expect((await processed).id).toBe(sim.files.list()[1]?.id);
    expect(sim.worldcat.holdings('PUL')).toEqual(['300']);
    expect(sameName(sim).ok).toBe(true);
  });

  it('an earlier file still in the queue is superseded at once', async () => {
    await using sim = await startTestSimulator({ processing: 'manual' });
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    await client.put(PATH, bib('1', '100'));
    await client.put(PATH, bib('1', '300'));
    expect(states(sim)).toEqual([
      [NAME, 'superseded'],
      [NAME, 'queued'],
    ]);
    await sim.processing.run();
    expect(sim.worldcat.holdings('PUL')).toEqual(['300']);
  });

  it('an earlier file already processed: the later is processed too, and upload:same-name says OCLC would not have', async () => {
    await using sim = await startTestSimulator({ processing: 'immediate' });
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    const first = sim.waitFor('file:processed');
    await client.put(PATH, bib('1', '100'));
    const earlier = await first;
    const event = sim.waitFor('upload:same-name');
    const second = sim.waitFor('file:processed', (f) => f.id !== earlier.id);
    await client.put(PATH, bib('2', '300'));
    const said = await event;
    expect(said).toMatchObject({ name: NAME, earlier: { id: earlier.id, name: NAME, state: 'processed' } });
    expect(said.reason).toMatch(/OCLC would have processed only the later file/);
    expect((await second).state).toBe('processed');
    expect(sim.worldcat.holdings('PUL')).toEqual(['100', '300']);
    const verdict = sameName(sim);
    expect(verdict.ok).toBe(false);
    expect(verdict.explanation).toContain('same-name');
    expect(sim.journal.query({ type: 'upload:same-name' })[0]?.message).toContain(`upload ${earlier.id}`);
  });

  it('the same name on another (Eastern) day is a new file: both processed, nothing said', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 15, 15));
    await using sim = await startTestSimulator({ processing: 'manual' }, { clock });
    {
      await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
      await client.put(PATH, bib('1', '100'));
    }
    // A day on the simulator's clock: an idle session would have been closed, so log in again.
    clock.advance(24 * 3_600_000);
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    await client.put(PATH, bib('2', '300'));
    await sim.processing.run();
    expect(states(sim)).toEqual([
      [NAME, 'processed'],
      [NAME, 'processed'],
    ]);
    expect(sameName(sim).ok).toBe(true);
  });
});
