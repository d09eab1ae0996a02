import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { generateBibRecords } from '../../oclc/marc/generate-bib-records.ts';
import { generateLhrRecords } from '../../oclc/marc/generate-lhr-records.ts';
import { startTestSimulator } from '../../test/support/test-simulator.ts';
import { ManualClock } from '../clock/clock.ts';
import { createAdminApp } from './admin-app.ts';

const bibs = (count: number, seed: number, defects?: { truncated?: number }): Buffer =>
  Buffer.concat([...generateBibRecords({ count, seed, defects })].map((r) => r.bytes));
const START = Date.UTC(2026, 0, 15, 15);

describe("the dashboard's routes", () => {
  it("GET /api/files/{id}/timeline gives each stage on the simulator's clock and on the wall clock", async () => {
    const clock = new ManualClock(START);
    await using sim = await startTestSimulator({ pickupDelay: '1m', processing: 'immediate' }, { clock });
    const before = Date.now();
    const processed = sim.waitFor('file:processed');
    const file = await sim.upload('PUL', '1012676.pul.books.mrc', bibs(3, 1));
    clock.advance(60_000);
    await processed;
    const res = await request(createAdminApp(sim)).get(`/api/files/${file.id}/timeline`).expect(200);
    const stages = res.body.stages as { state: string; event: string; at: number; realAt: number }[];
    expect(stages.map((s) => [s.state, s.event])).toEqual([
      ['receiving', 'upload:started'],
      ['received', 'upload:received'],
      ['queued', 'file:queued'],
      ['processing', 'file:processing'],
      ['processed', 'file:processed'],
    ]);
    expect(stages.map((s) => s.at)).toEqual([START, START, START + 60_000, START + 60_000, START + 60_000]);
    for (const s of stages) {
      expect(s.realAt).toBeGreaterThanOrEqual(before);
      expect(s.realAt).toBeLessThanOrEqual(Date.now());
    }
    expect(res.body.now).toBe(START + 60_000);
  });

  it("GET /api/worldcat/history gives each institution's counts after every commit, in simulated time", async () => {
    const clock = new ManualClock(START);
    await using sim = await startTestSimulator({ processing: 'immediate' }, { clock });
    let processed = sim.waitFor('file:processed');
    const first = await sim.upload('PUL', '1012676.pul.a.mrc', bibs(4, 1));
    await processed;
    const afterFirst = sim.worldcat.holdings('PUL').length;
    clock.advance(3_600_000);
    processed = sim.waitFor('file:processed');
    const copies = [...generateLhrRecords({ count: 4, copiesPerOcn: 2, seed: 3, symbol: 'PUL' })];
    const second = await sim.upload('PUL', '1012677.pul.l.mrc', Buffer.concat(copies.map((c) => c.bytes)));
    await processed;
    const app = createAdminApp(sim);
    const res = await request(app).get('/api/worldcat/history?symbol=pul').expect(200);
    expect(res.body.points).toEqual([
      { at: START, symbol: 'PUL', holdings: afterFirst, lhrs: 0, fileId: first.id },
      {
        at: START + 3_600_000,
        symbol: 'PUL',
        holdings: sim.worldcat.holdings('PUL').length,
        lhrs: 4,
        fileId: second.id,
      },
      {
        at: START + 3_600_000,
        symbol: 'PUL',
        holdings: sim.worldcat.holdings('PUL').length,
        lhrs: 4,
        fileId: null,
      },
    ]);
    const all = await request(app).get('/api/worldcat/history').expect(200);
    const symbols = new Set((all.body.points as { symbol: string }[]).map((p) => p.symbol));
    expect([...symbols].sort()).toEqual(['AB@', 'PUL', 'VND']);
    await request(app).post('/api/reset').type('json').send({}).expect(200);
    const afterReset = await request(app).get('/api/worldcat/history?symbol=PUL').expect(200);
    expect(afterReset.body.points).toEqual([
      { at: START + 3_600_000, symbol: 'PUL', holdings: 0, lhrs: 0, fileId: null },
    ]);
  });

  it('GET /api/worldcat/ocns/{ocn} says who holds an OCN and which file set the holding, LHRs and record', async () => {
    await using sim = await startTestSimulator({ processing: 'immediate' });
    let processed = sim.waitFor('file:processed');
    const bib = await sim.upload('PUL', '1012676.pul.a.mrc', bibs(6, 2));
    await processed;
    const created = (await sim.files.outcomes(bib.id)).outcomes.find((o) => o.action === 'create');
    expect(created).toBeDefined();
    const ocn = created?.worldcatOcn ?? '';
    const app = createAdminApp(sim);
    const res = await request(app)
      .get(`/api/worldcat/ocns/${encodeURIComponent(`(OCoLC)ocm0${ocn}`)}`)
      .expect(200);
    expect(res.body).toEqual({
      ocn,
      holders: [
        {
          symbol: 'PUL',
          holding: { setBy: { id: bib.id, name: '1012676.pul.a.mrc' } },
          lhrs: [],
          lsns: [created?.lsn],
        },
      ],
      created: { symbol: 'PUL', lsn: created?.lsn, by: { id: bib.id, name: '1012676.pul.a.mrc' } },
    });

    const lhr = [...generateLhrRecords({ count: 2, copiesPerOcn: 2, seed: 4, symbol: 'AB@' })];
    processed = sim.waitFor('file:processed');
    const lhrFile = await sim.upload('AB@', '7654321.ab_64.l.mrc', Buffer.concat(lhr.map((c) => c.bytes)));
    await processed;
    const held = await request(app)
      .get(`/api/worldcat/ocns/${lhr[0]?.ocn ?? ''}`)
      .expect(200);
    expect(held.body.holders).toEqual([
      {
        symbol: 'AB@',
        holding: { setBy: { id: lhrFile.id, name: '7654321.ab_64.l.mrc' } },
        lhrs: sim.worldcat.lhrs('AB@').map((l) => ({
          lsn: l.lsn,
          holdingLibrary: l.holdingLibrary,
          callNumber: l.callNumber,
          setBy: { id: lhrFile.id, name: '7654321.ab_64.l.mrc' },
        })),
        lsns: [],
      },
    ]);
    const bad = await request(app).get('/api/worldcat/ocns/abc').expect(400);
    expect(bad.body.error.message).toContain('"abc" is not an OCN');
  });

  it('GET /api/journal filters by event family, leaves families out and follows one file', async () => {
    await using sim = await startTestSimulator({ processing: 'immediate' });
    let processed = sim.waitFor('file:processed');
    const a = await sim.upload('PUL', '1012676.pul.a.mrc', bibs(2, 1));
    await processed;
    processed = sim.waitFor('file:processed');
    await sim.upload('PUL', '1012676.pul.b.mrc', bibs(2, 2));
    await processed;
    const app = createAdminApp(sim);
    const types = async (query: string): Promise<string[]> =>
      ((await request(app).get(`/api/journal?${query}`).expect(200)).body.entries as { type: string }[]).map(
        (e) => e.type,
      );
    const story = await types(`file=${a.id}`);
    expect(story).toEqual([
      'upload:started',
      'upload:received',
      'file:queued',
      'file:processing',
      'file:processed',
      // The e-mail OCLC would send about it names the file too.
      'outbox:reports-ready',
    ]);
    const families = await types('type=upload:*,file:processed');
    expect(new Set(families)).toEqual(new Set(['upload:started', 'upload:received', 'file:processed']));
    expect(await types('exclude=upload:*,file:*,outbox:*')).toEqual([]);
    expect(await types('type=file:queued&exclude=file:*')).toEqual([]);
  });

  it("keeps error classes and an LHR file's replace-all effect in the processing summary", async () => {
    await using sim = await startTestSimulator({ processing: 'immediate' });
    let processed = sim.waitFor('file:processed');
    await sim.upload('PUL', '1012676.pul.a.mrc', bibs(6, 2, { truncated: 1 }));
    const bib = await processed;
    expect(bib.summary?.errorClasses).toMatchObject({ 'Data Error': 1 });
    const copies = [...generateLhrRecords({ count: 3, copiesPerOcn: 3, seed: 5, symbol: 'PUL' })];
    processed = sim.waitFor('file:processed');
    await sim.upload('PUL', '1012677.pul.full.mrc', Buffer.concat(copies.map((c) => c.bytes)));
    expect((await processed).summary?.lhr).toEqual({
      added: 3,
      replaced: 0,
      deleted: 0,
      removedByReplace: 0,
    });
    processed = sim.waitFor('file:processed');
    await sim.upload('PUL', '1012677.pul.partial.mrc', copies[0]?.bytes ?? Buffer.alloc(0));
    expect((await processed).summary?.lhr).toEqual({
      added: 0,
      replaced: 1,
      deleted: 0,
      removedByReplace: 2,
    });
  });
});
