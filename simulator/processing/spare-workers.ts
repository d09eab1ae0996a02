import type { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';

interface Spare {
  worker: Worker;
  /** Takes off the listeners the spare list put on it. */
  detach: () => void;
}

/**
 * Idle processing workers kept for the process, by script: a simulator that stops hands its idle
 * workers back and the next one started in the same process (the next test) takes them, so a
 * small file's outcome does not wait for a thread to boot and load SQLite (~40 ms on a quiet
 * core, several times that on a busy one). Unref'd: a spare worker never keeps a process alive.
 */
class SpareWorkers {
  readonly #spare = new Map<string, Spare[]>();
  readonly #limit = Math.max(2, availableParallelism());

  take(script: string): Worker | undefined {
    const spare = this.#spare.get(script)?.pop();
    spare?.detach();
    return spare?.worker;
  }

  /** Keeps `worker` (no file, no listeners of its last owner) for the next simulator. */
  giveBack(script: string, worker: Worker): void {
    const list = this.#spare.get(script) ?? [];
    if (list.length >= this.#limit) {
      worker.terminate().catch(() => undefined);
      return;
    }
    // Forget whatever data dir the last simulator had: it is about to be deleted.
    worker.postMessage({ type: 'release' });
    const drop = (): void => {
      const at = list.findIndex((s) => s.worker === worker);
      if (at >= 0) list.splice(at, 1);
    };
    // A spare that fails or exits is simply dropped; the next simulator starts a fresh one.
    const onError = (): void => {
      drop();
      worker.terminate().catch(() => undefined);
    };
    worker.on('error', onError);
    worker.on('exit', drop);
    const detach = (): void => {
      worker.off('error', onError);
      worker.off('exit', drop);
    };
    list.push({ worker, detach });
    this.#spare.set(script, list);
  }
}

export const spareWorkers = new SpareWorkers();
