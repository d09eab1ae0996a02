import { readFileSync } from 'node:fs';
import { DataSyncError } from '../../oclc/error-catalogue.ts';

/** A session's share of the budget: check before opening, count what is open. */
export interface SessionHandles {
  /** Throws the catalogued refusal when this session (holding `open`) may not open another. */
  check(open: number): void;
  opened(): void;
  closed(count?: number): void;
}

/**
 * Open handles (each holds a file descriptor) bounded per session by `sftp.maxHandles` and, for
 * the whole process, by the descriptor limit less a reserve. The reserve keeps descriptors for
 * what the server must still do when handles have used the rest: accept connections and log
 * clients in, the database, processing's files. So a session that opens a thousand handles under
 * `ulimit -n 256` is refused at its cap, and others still connect.
 */
export class HandleBudget {
  /** Handles one session may hold: maxHandles, lowered to half of `total` if that is less. */
  readonly perSession: number;
  /** Handles all sessions together may hold. */
  readonly total: number;
  #open = 0;

  constructor(maxHandles: number, descriptors = descriptorLimit()) {
    const reserve = Math.max(RESERVE_MIN, Math.ceil(descriptors * RESERVE_SHARE));
    this.total = Math.max(1, descriptors - reserve);
    // Half at most, so one session at its cap leaves the others room to work, not just to log in.
    this.perSession = Math.max(1, Math.min(maxHandles, Math.floor(this.total / 2)));
  }

  session(): SessionHandles {
    return {
      check: (open) => {
        if (open >= this.perSession) throw new DataSyncError('HANDLE_LIMIT', { limit: this.perSession });
        if (this.#open >= this.total) throw new DataSyncError('SERVER_BUSY_HANDLES', {});
      },
      opened: () => this.#open++,
      closed: (count = 1) => (this.#open = Math.max(0, this.#open - count)),
    };
  }
}

/** Descriptors kept back: at least 64, or a quarter of the limit. */
const RESERVE_MIN = 64;
const RESERVE_SHARE = 0.25;

/**
 * The process's soft limit on open files (`ulimit -n`), from /proc on Linux. Elsewhere, or if it
 * cannot be read or is unlimited, a large figure: then only `sftp.maxHandles` applies.
 */
export function descriptorLimit(): number {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = Number(line?.split(/\s{2,}/)[1]);
    return Number.isSafeInteger(soft) && soft > 0 ? soft : UNKNOWN_LIMIT;
  } catch {
    return UNKNOWN_LIMIT;
  }
}

const UNKNOWN_LIMIT = 1_048_576;
