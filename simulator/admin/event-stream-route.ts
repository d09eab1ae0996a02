import type { Router } from 'express';
import type { SimulatorEvents } from '../events/simulator-events.ts';
import type { Journal } from '../journal/journal.ts';
import { adminRoutes } from './admin-contract.ts';
import { mountRoute } from './mount-route.ts';
import { hideServerPaths } from '../storage/hide-server-paths.ts';

const HEARTBEAT_MS = 15_000;
const REPLAY_PAGE = 5_000;

/**
 * GET /api/events: journaled events carry their journal id, so a client that reconnects with
 * Last-Event-ID gets everything it missed from the journal before the live events.
 */
export function mountEventStream(
  router: Router,
  deps: { journal: Journal; events: SimulatorEvents; config: { dataDir: string } },
): void {
  const replacer = hideServerPaths(deps.config.dataDir);
  mountRoute(router, adminRoutes.events, ({ req, res, query }) => {
    const header = Number(req.get('last-event-id') ?? Number.NaN);
    const after = Number.isInteger(header) && header >= 0 ? header : query.since;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const send = (id: number | undefined, event: string, data: unknown): void => {
      res.write(
        `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data, replacer)}\n\n`,
      );
    };
    res.write('retry: 1000\n\n');
    // Replay and subscription happen in one synchronous run, so no event falls between them.
    // Without a resume point, say where the stream starts, so a reconnect resumes from here.
    if (after === undefined) send(deps.journal.lastId, 'stream:open', { lastEventId: deps.journal.lastId });
    else {
      for (let from = after, page = deps.journal.since(from, REPLAY_PAGE); page.length > 0;) {
        for (const entry of page) send(entry.id, entry.type, entry.data);
        from = page[page.length - 1]?.id ?? from;
        page = page.length < REPLAY_PAGE ? [] : deps.journal.since(from, REPLAY_PAGE);
      }
    }
    const offRecord = deps.journal.onRecord((entry) => send(entry.id, entry.type, entry.data));
    const offProgress = deps.events.on('processing:progress', (p) =>
      send(undefined, 'processing:progress', p),
    );
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    res.on('close', () => {
      clearInterval(heartbeat);
      offRecord();
      offProgress();
    });
    return undefined;
  });
}
