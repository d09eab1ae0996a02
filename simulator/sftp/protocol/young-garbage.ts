/** Received bytes (all sessions together) between two young-generation collections. */
const COLLECT_EVERY_BYTES = 4 << 20;

type Collect = (options: { type: 'minor' }) => void;

let received = 0;

/**
 * Counts bytes received over SFTP and, in a process that exposes V8's `gc` (the CLI's serve and
 * demo do, see cli/keep-young-generation-small.ts; `node --expose-gc` does), collects the young
 * generation every 4 MiB of them. A host process that does not expose it is left alone: code a
 * user imports changes no process-wide setting (issue 23, D81).
 *
 * An upload allocates ~100 KiB of buffers outside the JavaScript heap per 32 KiB WRITE (socket
 * reads, ssh2's decrypted packets, reassembled packets), all dead within a turn of the event loop,
 * against a few KiB of objects inside the heap. V8 collects the young generation when the heap's
 * objects fill it, so tens of MB of dead buffers waited for each collection; while a worker
 * thread processed a file, that memory also went to a second malloc arena and stayed in the
 * RSS after the upload (D13). A minor collection with 1 MiB semi-spaces takes well under a
 * millisecond.
 */
export function countReceived(bytes: number): void {
  received += bytes;
  if (received < COLLECT_EVERY_BYTES) return;
  received = 0;
  (globalThis as { gc?: Collect }).gc?.({ type: 'minor' });
}
