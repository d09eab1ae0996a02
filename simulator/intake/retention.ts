import { rmSync } from 'node:fs';
import type { Clock, Timer } from '../clock/clock.ts';
import type { SimulatorEvents } from '../events/simulator-events.ts';
import type { UploadStore } from '../storage/upload-store.ts';
import { formatDuration } from '../../oclc/duration.ts';

/** Sweeps at most this often; a retention shorter than this sweeps at its own length. */
const SWEEP_EVERY_MS = 3_600_000;

/**
 * retention.uploads: stored copies of finished uploads (the queue's files) are deleted once they
 * are older than the retention; their records, outcomes and reports stay. Runs on the simulator
 * clock, at start and then periodically.
 */
export class Retention {
  readonly #store: UploadStore;
  readonly #events: SimulatorEvents;
  readonly #clock: Clock;
  readonly #retentionMs: number;
  #timer: Timer | undefined;

  constructor(deps: { store: UploadStore; events: SimulatorEvents; clock: Clock; retentionMs: number }) {
    this.#store = deps.store;
    this.#events = deps.events;
    this.#clock = deps.clock;
    this.#retentionMs = deps.retentionMs;
  }

  start(): void {
    this.sweep();
    this.#timer = this.#clock.setTimer(Math.max(1, Math.min(SWEEP_EVERY_MS, this.#retentionMs)), () =>
      this.start(),
    );
  }

  stop(): void {
    this.#timer?.cancel();
  }

  /** Deletes every expired copy now; returns how many. */
  sweep(): number {
    let removed = 0;
    try {
      for (const record of this.#store.expiredCopies(this.#clock.now() - this.#retentionMs)) {
        if (record.storedPath) rmSync(record.storedPath, { force: true });
        this.#store.update(record.id, { storedPath: null });
        this.#events.emit('storage:removed', {
          name: record.name,
          account: record.account,
          fileId: record.id,
          reason: `the stored copy was older than retention.uploads (${formatDuration(this.#retentionMs)}); its record and reports stay`,
        });
        removed++;
      }
    } catch {
      // A failing disk or database: the next sweep tries again.
    }
    return removed;
  }
}
