import { readdirSync, statSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { formatByteSize } from '../../oclc/byte-size.ts';
import { DataSyncError } from '../../oclc/error-catalogue.ts';
import type { Institution, SimulatorConfig } from '../config/simulator-config.ts';
import { institutionRoot } from '../storage/account-tree.ts';
import type { FailureSite } from '../storage/storage-failure.ts';

/** What an institution holds against its quota; `quota` undefined means no limit. */
export interface SpaceUsage {
  used: number;
  quota: number | undefined;
}

/** One open upload's bytes, counted against its institution while it is being written. */
export interface SpaceClaim {
  /** Checks that the file may grow to `extent` bytes, then records it. */
  grow(extent: number, site: FailureSite): void;
  release(): void;
}

/** Folders of an account tree the simulator writes itself: they never count against a quota. */
const NOT_COUNTED = [join('metacoll', 'reports'), join('metacoll', 'out')];

/**
 * The free-space guard (minFreeSpace, checked at OPEN) and per-institution quotas (checked at the
 * WRITE that would cross them). An institution's usage is its upload folders on disk plus its
 * files in the processing queue, measured when an upload opens or closes, plus what its open
 * uploads have written so far.
 */
export class SpaceGuard {
  readonly #config: SimulatorConfig;
  readonly #queuedPaths: (symbol: string) => string[];
  readonly #claims = new Map<string, Set<{ extent: number; path: string | undefined }>>();
  readonly #measured = new Map<string, number>();

  constructor(deps: { config: SimulatorConfig; queuedPaths: (symbol: string) => string[] }) {
    this.#config = deps.config;
    this.#queuedPaths = deps.queuedPaths;
  }

  /** Refuses a new upload when the data dir's disk is below minFreeSpace. */
  checkFree(site: FailureSite): void {
    const minimum = this.#config.minFreeSpace;
    if (minimum === 0) return;
    const fs = statfsSync(this.#config.dataDir);
    const free = fs.bavail * fs.bsize;
    if (free < minimum) {
      throw new DataSyncError('DISK_LOW', {
        ...site,
        free: formatByteSize(free),
        minimum: formatByteSize(minimum),
      });
    }
  }

  /** Starts counting an upload's bytes; `path` is where it is written when that is in the tree. */
  claim(symbol: string, path?: string): SpaceClaim {
    const institution = this.#institution(symbol);
    const claims = this.#claims.get(symbol) ?? new Set();
    this.#claims.set(symbol, claims);
    const entry = { extent: 0, path };
    claims.add(entry);
    if (institution?.quota !== undefined) this.#measure(symbol);
    return {
      grow: (extent, site) => {
        if (extent <= entry.extent) return;
        const quota = institution?.quota;
        if (quota !== undefined) {
          const usage = this.#used(symbol) - entry.extent + extent;
          if (usage > quota) {
            throw new DataSyncError('QUOTA_EXCEEDED', {
              ...site,
              symbol,
              usage: formatByteSize(usage),
              quota: formatByteSize(quota),
            });
          }
        }
        entry.extent = extent;
      },
      release: () => {
        claims.delete(entry);
        if (institution?.quota !== undefined) this.#measure(symbol);
      },
    };
  }

  /** Usage and quota, for the admin API and for statvfs answers. */
  usage(symbol: string): SpaceUsage {
    this.#measure(symbol);
    return { used: this.#used(symbol), quota: this.#institution(symbol)?.quota };
  }

  #used(symbol: string): number {
    let live = 0;
    for (const claim of this.#claims.get(symbol) ?? []) live += claim.extent;
    return (this.#measured.get(symbol) ?? 0) + live;
  }

  #measure(symbol: string): void {
    const institution = this.#institution(symbol);
    if (!institution) return;
    const open = new Set([...(this.#claims.get(symbol) ?? [])].map((c) => c.path));
    const root = institutionRoot(this.#config.dataDir, institution);
    const skipped = new Set(NOT_COUNTED.map((dir) => join(root, dir)));
    let bytes = folderBytes(root, { files: open, dirs: skipped });
    for (const path of this.#queuedPaths(symbol))
      bytes += statSync(path, { throwIfNoEntry: false })?.size ?? 0;
    this.#measured.set(symbol, bytes);
  }

  #institution(symbol: string): Institution | undefined {
    return this.#config.institutions.find((i) => i.symbol === symbol);
  }
}

interface Skipped {
  files: ReadonlySet<string | undefined>;
  dirs: ReadonlySet<string>;
}

function folderBytes(dir: string, skip: Skipped): number {
  let bytes = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    // A reset can remove the tree under a running simulator; nothing there counts.
    return 0;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skip.dirs.has(path)) bytes += folderBytes(path, skip);
    } else if (entry.isFile() && !skip.files.has(path)) {
      bytes += statSync(path, { throwIfNoEntry: false })?.size ?? 0;
    }
  }
  return bytes;
}
