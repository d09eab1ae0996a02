// `datasync-sim/testing`: what a test author needs in one import.
export {
  startTestSimulator,
  TEST_INSTITUTIONS,
  type TestSimulator,
  type TestSimulatorOptions,
} from './start-test-simulator.ts';
export { uploadFile, type UploadFileOptions } from './upload-file.ts';
export { waitForOutcome } from './wait-for-outcome.ts';
export { ManualClock } from '../simulator/index.ts';
