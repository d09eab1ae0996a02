import type { Router } from 'express';
import type { OutboxMessage } from '../events/simulator-events.ts';
import type { Journal } from '../journal/journal.ts';
import { mountRoute } from './mount-route.ts';
import { outboxRoutes } from './outbox-routes-contract.ts';

/** GET /api/outbox: the outbox:* entries of the journal, as messages. */
export function mountOutboxRoutes(router: Router, sim: { journal: Pick<Journal, 'query'> }): void {
  mountRoute(router, outboxRoutes.outbox, ({ query }) => {
    const symbol = query.symbol?.toLowerCase();
    const type = query.kind ? `outbox:${query.kind}` : 'outbox:*';
    // Filtered by recipient after the query: the journal indexes no recipient, and outboxes are small.
    const entries = sim.journal.query({ type, limit: symbol ? 100_000 : (query.limit ?? 500) });
    const messages = entries
      .map((e) => ({ id: e.id, at: new Date(e.at).toISOString(), ...(e.data as OutboxMessage) }))
      .filter((m) => symbol === undefined || m.to.some((to) => to.toLowerCase() === symbol));
    return { messages: messages.slice(-(query.limit ?? 500)) };
  });
}
