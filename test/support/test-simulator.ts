import { rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_INSTITUTIONS as PUBLIC_TEST_INSTITUTIONS } from '../../testing/start-test-simulator.ts';
import { defineConfig } from '../../simulator/config/load-config.ts';
import type { ConfigInput } from '../../simulator/config/config-schema.ts';
import { startSimulator, type StartOptions } from '../../simulator/start-simulator.ts';
import type { StartedSimulator } from '../../simulator/started-simulator.ts';

/** The institutions `datasync-sim/testing` gives (PUL, AB@), plus a vendor uploading for PUL. */
export const TEST_INSTITUTIONS: ConfigInput['institutions'] = [
  ...PUBLIC_TEST_INSTITUTIONS,
  {
    symbol: 'VND',
    password: 'vnd-secret',
    uploadsFor: ['PUL'],
    collections: [{ id: '1030040', type: 'bib', default: true }],
  },
];

export type TestSimulator = StartedSimulator & { dataDir: string };

/**
 * Starts a simulator on free ports with its own temp data dir; disposing it stops the simulator
 * and removes that dir. A `dataDir` given by the caller (restart tests) is left for the caller.
 */
export async function startTestSimulator(
  overrides: Partial<ConfigInput> = {},
  options: StartOptions & { dataDir?: string } = {},
): Promise<TestSimulator> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'datasync-sim-test-'));
  const config = defineConfig({
    institutions: TEST_INSTITUTIONS,
    // Files stay queued unless a test asks for processing, so SFTP tests see the upload itself.
    processing: 'manual',
    ...overrides,
    dataDir,
    sftp: { host: '127.0.0.1', port: 0, ...overrides.sftp },
    admin: { host: '127.0.0.1', port: 0, ...overrides.admin },
  });
  const sim = await startSimulator(config, options);
  const stop = async (): Promise<void> => {
    await sim.stop();
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  return { ...sim, dataDir, stop, [Symbol.asyncDispose]: stop };
}
