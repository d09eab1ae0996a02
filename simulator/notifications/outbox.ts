import type { SimulatorEvents } from '../events/simulator-events.ts';
import { fileFailed, outputDelivered, reportsReady } from './outbox-message.ts';

/**
 * Records the e-mails OCLC would send as `outbox:*` events: the journal keeps them (GET
 * /api/outbox reads it back), the event stream shows them, and webhooks may carry them.
 * Returns the unsubscribe function.
 */
export function recordOutbox(events: SimulatorEvents): () => void {
  const off = [
    events.on('file:processed', (file) => events.emit('outbox:reports-ready', reportsReady(file))),
    events.on('file:failed', (file) => events.emit('outbox:file-failed', fileFailed(file))),
    events.on('output:delivered', (d) => events.emit('outbox:output-delivered', outputDelivered(d))),
  ];
  return () => {
    for (const stop of off) stop();
  };
}
