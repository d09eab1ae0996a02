import { describe, expect, it } from 'vitest';
import { generateBibRecords } from '../../oclc/marc/generate-bib-records.ts';
import { AdminClient, type StreamEvent } from '../../scenarios/admin-client.ts';
import { tempDir } from '../support/temp-dir.ts';
import { connectAs } from '../support/sftp-test-client.ts';
import { startTestSimulator } from '../support/test-simulator.ts';

const bibFile = (count: number): Buffer =>
  Buffer.concat([...generateBibRecords({ count, seed: 5 })].map((r) => r.bytes));

describe('GET /api/events', () => {
  it('streams each simulator event by name with its JSON payload, progress included', async () => {
    await using sim = await startTestSimulator({ processing: 'immediate' });
    const seen: StreamEvent[] = [];
    await using events = await new AdminClient(sim.adminUrl).subscribe({ onEvent: (e) => seen.push(e) });
    const processed = events.waitFor('file:processed', (f) => f.name === '1012676.pul.a.mrc');
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    const bytes = bibFile(300);
    await client.put('metacoll/in/bib/1012676.pul.a.mrc', bytes);
    expect((await processed).summary?.records).toBe(300);
    expect(seen[0]).toEqual({ id: '0', event: 'stream:open', data: { lastEventId: 0 } });
    const names = seen.map((e) => e.event);
    expect(names).toEqual(
      expect.arrayContaining([
        'auth:accepted',
        'upload:started',
        'upload:received',
        'file:queued',
        'file:processing',
        'processing:progress',
        'file:processed',
      ]),
    );
    expect(names.indexOf('file:queued')).toBeLessThan(names.indexOf('file:processed'));
    const progress = seen.filter((e) => e.event === 'processing:progress');
    expect(progress.at(-1)).toEqual({
      id: undefined,
      event: 'processing:progress',
      data: {
        fileId: 1,
        name: '1012676.pul.a.mrc',
        records: 300,
        bytes: bytes.length,
        totalBytes: bytes.length,
      },
    });
    const ids = seen.filter((e) => e.id !== undefined).map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('Last-Event-ID resumes after a disconnect with every event missed, none twice', async () => {
    await using sim = await startTestSimulator();
    const admin = new AdminClient(sim.adminUrl);
    const first: StreamEvent[] = [];
    const events = await admin.subscribe({ onEvent: (e) => first.push(e) });
    const refused = events.waitFor('auth:refused');
    await connectAs(sim, 'fx_pul', 'wrong').catch(() => undefined);
    await refused;
    events.close();
    const lastEventId = events.lastEventId;
    expect(lastEventId).toBeDefined();

    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    await client.put('metacoll/in/bib/1012676.pul.b.mrc', 'abc');
    await client.put('metacoll/in/bib/1012676.pul.bad name.mrc', 'abc').catch(() => undefined);
    const missed = sim.journal.list().filter((entry) => entry.id > Number(lastEventId));
    expect(missed.length).toBeGreaterThanOrEqual(4);

    const resumed: StreamEvent[] = [];
    await using again = await admin.subscribe({ lastEventId, onEvent: (e) => resumed.push(e) });
    const live = again.waitFor('auth:refused', (e) => e.user === 'fx_ab_64');
    await connectAs(sim, 'fx_ab_64', 'wrong').catch(() => undefined);
    await live;
    const replayedIds = resumed.map((e) => Number(e.id));
    expect(replayedIds).toEqual([...missed.map((e) => e.id), Math.max(...replayedIds)]);
    expect(resumed.slice(0, missed.length).map((e) => e.event)).toEqual(missed.map((e) => e.type));
  });

  it('the admin client reconnects by itself after the simulator restarts, missing nothing', async () => {
    using dir = tempDir();
    const dataDir = dir.path;
    const sim = await startTestSimulator({}, { dataDir });
    const port = sim.admin.port;
    const events = await new AdminClient(sim.adminUrl).subscribe();
    await sim.stop();
    await using again = await startTestSimulator({ admin: { host: '127.0.0.1', port } }, { dataDir });
    const refused = events.waitFor('auth:refused');
    await connectAs(again, 'fx_pul', 'wrong').catch(() => undefined);
    expect(await refused).toMatchObject({ user: 'fx_pul', reason: 'wrong password' });
    events.close();
  });

  it('speaks plain SSE: id, event and data lines; ?since= replays like the header', async () => {
    await using sim = await startTestSimulator();
    await connectAs(sim, 'fx_pul', 'wrong').catch(() => undefined);
    const controller = new AbortController();
    const res = await fetch(`${sim.adminUrl}/api/events?since=0`, { signal: controller.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    while (!text.includes('auth:refused')) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    expect(text).toMatch(
      /^retry: 1000\n\nid: 1\nevent: auth:refused\ndata: \{"user":"fx_pul","method":"password","reason":"wrong password"\}\n\n/,
    );
  });

  it('keeps ids rising across a reset, which it announces', async () => {
    await using sim = await startTestSimulator();
    await connectAs(sim, 'fx_pul', 'wrong').catch(() => undefined);
    const admin = new AdminClient(sim.adminUrl);
    await using events = await admin.subscribe();
    const reset = events.waitFor('simulator:reset');
    await admin.reset();
    await reset;
    expect(Number(events.lastEventId)).toBe(2);
  });
});
