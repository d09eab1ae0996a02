import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  defineConfig,
  ManualClock,
  startSimulator,
  type Clock,
  type StartedSimulator,
} from '../simulator/index.ts';
import type { ConfigInput } from '../simulator/index.ts';

/** The institutions a test simulator has unless the test gives its own. */
export const TEST_INSTITUTIONS: ConfigInput['institutions'] = [
  {
    symbol: 'PUL',
    password: 'pul-secret',
    collections: [
      { id: '1012676', type: 'bib', default: true },
      { id: '1012677', type: 'lhr' },
    ],
  },
  {
    symbol: 'AB@',
    password: 'ab-secret',
    collections: [
      { id: '1234567', type: 'bib', default: true },
      { id: '7654321', type: 'lhr' },
    ],
  },
];

/** A simulator started by `startTestSimulator`, with its clock's type. */
export interface TestSimulator<C extends Clock = ManualClock> extends StartedSimulator {
  /** The data dir: a temporary one, removed when the simulator stops, unless the test gave its own. */
  readonly dataDir: string;
  /** A clock that moves only when the test says so (`clock.advance(ms)`), or the one the test gave. */
  readonly clock: C;
}

/** Options of `startTestSimulator`: the clock and where it starts, a data dir to keep. */
export interface TestSimulatorOptions<C extends Clock = ManualClock> {
  /** Starts the manual clock here (epoch ms); default 2026-01-15 10:00 US Eastern. */
  clockStart?: number;
  /** The simulator's clock instead of a new manual one: a `ManualClock` the test keeps across a
   * restart, or `systemClock` for real time. */
  clock?: C;
  /** Runs on this data dir instead of a temporary one, and leaves it in place at stop (a restart
   * test starts a second simulator on it). */
  dataDir?: string;
}

/**
 * A simulator for one test: free ports on 127.0.0.1 (unless `overrides` name a port), its own temporary data dir, a manual clock and
 * immediate processing unless `overrides` say otherwise. `await using sim = await startTestSimulator()`
 * stops it and deletes its data dir at the end of the block.
 */
export async function startTestSimulator<C extends Clock = ManualClock>(
  overrides: Partial<ConfigInput> = {},
  options: TestSimulatorOptions<C> = {},
): Promise<TestSimulator<C>> {
  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'datasync-sim-test-'));
  const removeDataDir = (): void => {
    if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  // At stop the data dir is gone from its path at once (one rename) and its files are deleted in
  // the background: deleting ~30 folders and files took 5-30 ms of each test's stop (D155).
  const discardDataDir = (): void => {
    if (!ownDataDir) return;
    const gone = `${dataDir}-stopped`;
    try {
      renameSync(dataDir, gone);
    } catch {
      return removeDataDir();
    }
    rm(gone, { recursive: true, force: true, maxRetries: 2 }).catch(() => undefined);
  };
  // Without a clock of the test's own, C is its default, ManualClock.
  const clock = options.clock ?? (new ManualClock(options.clockStart) as Clock as C);
  try {
    const config = defineConfig({
      institutions: TEST_INSTITUTIONS,
      processing: 'immediate',
      ...overrides,
      dataDir,
      // Free ports unless the test names one (a restart test takes its first simulator's port).
      sftp: { ...overrides.sftp, host: '127.0.0.1', port: overrides.sftp?.port ?? 0 },
      admin: { ...overrides.admin, host: '127.0.0.1', port: overrides.admin?.port ?? 0 },
    });
    // The admin API's modules load at its first request: most tests never make one (D110).
    // A temporary data dir is thrown away at stop: SQLite need not wait for the disk (D155).
    const sim = await startSimulator(config, { clock, loadAdminAtStart: false, durable: !ownDataDir });
    const stop = async (): Promise<void> => {
      await sim.stop();
      discardDataDir();
    };
    return { ...sim, dataDir, clock, stop, [Symbol.asyncDispose]: stop };
  } catch (error) {
    removeDataDir();
    throw error;
  }
}
