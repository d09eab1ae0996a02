import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** The processing worker's young generation cap (processing-worker-client.ts), in MB. */
const WORKER_YOUNG_GENERATION_MB = 16;

type Collect = (options: { type: 'minor' }) => void;

/**
 * Called where `serve` and `demo` start, before the simulator: keeps this server process's young
 * generation at V8's initial size (1 MiB semi-spaces) instead of letting it grow to 16 MiB ones,
 * starts worker threads at their cap, and exposes V8's `gc` so the SFTP layer can collect the
 * young generation every 4 MiB received (simulator/sftp/protocol/young-garbage.ts). These are
 * settings of the whole process, so they live here, in the CLI, and never in code a user imports
 * (D81; lint's process-flags-at-the-entry rule).
 *
 * An upload allocates ~100 KiB of buffers outside the JavaScript heap per 32 KiB WRITE (socket
 * reads, ssh2's decrypted packets, reassembled SFTP packets) against a few KiB of objects inside
 * it. Those buffers are freed only when the young generation is collected, and a grown young
 * generation is collected seldom: a 1 GiB upload then held ~40 MB of dead buffers plus ~35 MB of
 * grown semi-spaces. A young generation that stays small costs little to collect, and collected
 * every 4 MiB received, the buffers are freed soon after they die (see DECISIONS.md D13).
 *
 * V8 reads `--semi-space-growth-factor` whenever a young generation grows, so setting it now
 * works for the main thread, already running; but it is one flag for the whole process, so
 * worker threads created later would stay at 1 MiB too. `--min-semi-space-size` is read when an
 * isolate is created and is capped by the worker's own young generation limit: the processing
 * worker starts at its cap, where it used to grow to within its first second.
 */
export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
  setFlagsFromString(`--min-semi-space-size=${WORKER_YOUNG_GENERATION_MB}`);
  exposeGc();
}

/**
 * What `node --expose-gc` gives, without a second process start: a context made while the flag
 * is on has `gc`; the flag goes off again so later contexts (and workers) are as before.
 */
function exposeGc(): void {
  const global = globalThis as { gc?: Collect };
  if (global.gc) return;
  setFlagsFromString('--expose-gc');
  global.gc = runInNewContext('gc') as Collect;
  setFlagsFromString('--no-expose-gc');
}
