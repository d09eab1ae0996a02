// The simulator's public face: the CLI, the scenarios, the testing helpers and the package entry
// import the simulator only through this file (lint enforces it).
export { startSimulator, type StartOptions } from './start-simulator.ts';
export type { StartedSimulator, SimulatorStatus, HostKeySummary } from './started-simulator.ts';
export {
  defineConfig,
  loadConfigFile,
  parseConfigText,
  type LoadConfigOptions,
  type ConfigOverrides,
} from './config/load-config.ts';
export type { ConfigInput } from './config/config-schema.ts';
export { configFromEnv } from './config/env-config.ts';
export type {
  SimulatorConfig,
  Institution,
  Collection,
  CollectionType,
  ProcessingMode,
} from './config/simulator-config.ts';
export { DEMO_CONFIG_YAML } from './config/demo-config.ts';
export { ManualClock, systemClock, type Clock, type Timer } from './clock/clock.ts';
export type { SimulatorEvents, SimulatorEventMap, SimulatorEventName } from './events/simulator-events.ts';
export { UPLOAD_STATES, type UploadRecord, type UploadState } from './storage/upload-store.ts';
// The admin API's contract, written once in contract.ts (the light face AdminClient uses).
export * from './contract.ts';
export { buildOpenApiDocument } from './admin/openapi-document.ts';
export { checkFile, type CheckOptions } from './check/check-file.ts';
export type { CheckProblem, CheckResult, NameCheckResult } from './check/check-result.ts';
export type { CheckOutput } from './check/check-output.ts';
export { checkJsonOutput } from './check/check-json-output.ts';
export { checkJunitOutput } from './check/check-junit-output.ts';
export { checkOclcOutput } from './check/check-oclc-output.ts';
export { checkTextOutput } from './check/check-text-output.ts';
export { LineOutput } from './check/line-output.ts';
export { resolveCheckTarget } from './check/resolve-check-target.ts';
export { sshCryptoBindingLoaded } from './sftp/ssh-crypto-binding.ts';
export { configSchema } from './config/config-schema.ts';
export { crossCheckConfig, type ConfigProblem } from './config/cross-check-config.ts';
export { eventLogLine, type LogFormat } from './logging/event-log-line.ts';
export { isLogged, LOG_LEVELS, type LogLevel } from './logging/event-log-level.ts';
export {
  faultRuleSchema,
  FAULT_OPERATIONS,
  FAULT_STATUSES,
  type FaultRule,
  type FaultRuleInput,
  type FaultAction,
  type FaultMatch,
} from './config/fault-rule-schema.ts';
export type { FaultRules, FaultRuleView } from './faults/fault-rules.ts';
export {
  journalExpectationSchema,
  type JournalExpectation,
  type Verification,
} from './journal/verify-journal.ts';
