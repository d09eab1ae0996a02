import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig, ManualClock, startSimulator, type StartedSimulator } from '../simulator/index.ts';
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

export interface TestSimulator extends StartedSimulator {
  /** The temporary data dir, removed when the simulator stops. */
  readonly dataDir: string;
  /** A clock that moves only when the test says so (`clock.advance(ms)`). */
  readonly clock: ManualClock;
}

export interface TestSimulatorOptions {
  /** Starts the manual clock here (epoch ms); default 2026-01-15 10:00 US Eastern. */
  clockStart?: number;
}

/**
 * A simulator for one test: free ports on 127.0.0.1, its own temporary data dir, a manual clock and
 * immediate processing unless `overrides` say otherwise. `await using sim = await startTestSimulator()`
 * stops it and deletes its data dir at the end of the block.
 */
export async function startTestSimulator(
  overrides: Partial<ConfigInput> = {},
  options: TestSimulatorOptions = {},
): Promise<TestSimulator> {
  const dataDir = mkdtempSync(join(tmpdir(), 'datasync-sim-test-'));
  const clock = new ManualClock(options.clockStart);
  try {
    const config = defineConfig({
      institutions: TEST_INSTITUTIONS,
      processing: 'immediate',
      ...overrides,
      dataDir,
      sftp: { ...overrides.sftp, host: '127.0.0.1', port: 0 },
      admin: { ...overrides.admin, host: '127.0.0.1', port: 0 },
    });
    const sim = await startSimulator(config, { clock });
    const stop = async (): Promise<void> => {
      await sim.stop();
      rmSync(dataDir, { recursive: true, force: true });
    };
    return { ...sim, dataDir, clock, stop, [Symbol.asyncDispose]: stop };
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
