export { RecordOutput, RECORDS_PER_FILE, type OutputDelivery } from './record-output.ts';
export { outputTargets, watchedSymbols, type OutputTarget } from './output-targets.ts';
export { ZIP_AFTER_MS, REMOVE_AFTER_MS } from './output-sweeper.ts';
