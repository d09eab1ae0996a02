import {
  startTestSimulator as startPublicTestSimulator,
  TEST_INSTITUTIONS as PUBLIC_TEST_INSTITUTIONS,
  type TestSimulator as PublicTestSimulator,
} from '../../testing/index.ts';
import { ManualClock, systemClock, type Clock, type ConfigInput } from '../../simulator/index.ts';

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

export type TestSimulator = PublicTestSimulator<Clock>;

/**
 * The public `startTestSimulator` (datasync-sim/testing) with this suite's defaults: files stay
 * queued unless a test asks for processing, so SFTP tests see the upload itself; real time unless
 * the test gives a clock or the config says `clock: manual`; the vendor VND among the institutions.
 * A `dataDir` given by the caller (restart tests) is left for the caller.
 */
export function startTestSimulator(
  overrides: Partial<ConfigInput> = {},
  options: { clock?: Clock; dataDir?: string } = {},
): Promise<TestSimulator> {
  const clock = options.clock ?? (overrides.clock === 'manual' ? new ManualClock(Date.now()) : systemClock);
  return startPublicTestSimulator(
    { institutions: TEST_INSTITUTIONS, processing: 'manual', ...overrides },
    { clock, dataDir: options.dataDir },
  );
}
