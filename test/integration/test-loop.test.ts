import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startTestSimulator, uploadFile, waitForOutcome } from '../../testing/index.ts';
import { generateBibRecords } from '../../oclc/marc/generate-bib-records.ts';

/** One generated record that sets a holding, different for each seed. */
const record = (seed: number): Buffer => {
  for (const r of generateBibRecords({ count: 20, seed })) if (r.kind === 'with-ocn') return r.bytes;
  throw new Error(`seed ${seed} gave no record with an OCN`);
};

describe('the test loop, simulator after simulator in one process', () => {
  it("processes each simulator's file into its own data dir, whichever worker (a spare) takes it", async () => {
    const dirs: string[] = [];
    for (const seed of [1, 2, 3]) {
      const sim = await startTestSimulator();
      dirs.push(sim.dataDir);
      const name = `1012676.pul.loop-${seed}.mrc`;
      await uploadFile(sim, {
        user: 'fx_pul',
        password: 'pul-secret',
        data: record(seed),
        name,
      });
      const file = await waitForOutcome(sim, name);
      expect(file.state).toBe('processed');
      expect(file.summary?.holdingsSet).toBe(1);
      // Only this simulator's file: the spare worker forgot the last simulator's database.
      expect(sim.worldcat.holdings('PUL')).toHaveLength(1);
      await sim.stop();
    }
    expect(dirs.filter((dir) => existsSync(dir))).toEqual([]);
  });

  it('answers admin requests, its admin API loaded at the first one', async () => {
    await using sim = await startTestSimulator();
    await uploadFile(sim, {
      user: 'fx_pul',
      password: 'pul-secret',
      data: record(4),
      name: '1012676.pul.admin.mrc',
    });
    await waitForOutcome(sim, '1012676.pul.admin.mrc');
    const res = await fetch(`${sim.adminUrl}/api/institutions/PUL/holdings`);
    expect(res.status).toBe(200);
    expect(JSON.stringify(await res.json())).toContain(sim.worldcat.holdings('PUL')[0] ?? 'no holding');
  });
});
