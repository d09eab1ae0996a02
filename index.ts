// The package entry, `datasync-sim`: a deliberate public API (issue 23, D130). Every runtime value
// here is one a user calls or constructs: start a simulator and configure it, check a file,
// publish and fetch reports as a library would, drive a running simulator through its admin API,
// and the pure OCLC rules an exporter needs. Internal stores (the journal, WorldCat's state), the
// CLI's formatters and the schemas the scenario language is built from stay inside; their shapes
// reach users as types only. A unit test (test/lint/public-api.test.ts) pins the list and caps it
// at 40; `npm run api:check` shows every change to the surface. `datasync-sim/testing` and
// `datasync-sim/testcontainers` are the other two entries.

// The simulator: start one, configure it, drive its clock, check a file as `datasync-sim check`.
export {
  startSimulator,
  defineConfig,
  loadConfigFile,
  parseConfigText,
  configFromEnv,
  DEMO_CONFIG_YAML,
  ManualClock,
  systemClock,
  UPLOAD_STATES,
  checkFile,
  type StartOptions,
  type StartedSimulator,
  type SimulatorStatus,
  type HostKeySummary,
  type LoadConfigOptions,
  type ConfigOverrides,
  type ConfigInput,
  type SimulatorConfig,
  type Institution,
  type Collection,
  type CollectionType,
  type ProcessingMode,
  type Clock,
  type Timer,
  type SimulatorEvents,
  type SimulatorEventMap,
  type SimulatorEventName,
  type UploadRecord,
  type UploadState,
  type FaultRule,
  type FaultRuleInput,
  type FaultAction,
  type FaultMatch,
  type FaultRules,
  type FaultRuleView,
  type JournalExpectation,
  type Verification,
  type LogFormat,
  type LogLevel,
  type CheckOptions,
  type CheckProblem,
  type CheckResult,
  type NameCheckResult,
} from './simulator/index.ts';

// The admin API: its contract (light: no SQLite, no SSH) and the clients that speak it.
export {
  adminRoutes,
  type StreamEventName,
  type StreamEventData,
  type AdminRouteName,
  type FileInfo,
  type FileWithOutcomes,
  type HealthInfo,
  type JournalEntryInfo,
  type LhrInfo,
  type RouteContract,
} from './simulator/contract.ts';
export { AdminClient, AdminEventStream, type StreamEvent, type SubscribeOptions } from './scenarios/index.ts';

// The real client: publish uploads, fetch reports, write back, and the Metadata API.
export {
  publish,
  loadProfile,
  parseProfile,
  fetchReports,
  writeback,
  MetadataApiClient,
  type MetadataApiClientOptions,
  type MetadataApiAnswer,
  type HoldingAnswer,
  type PublishOptions,
  type PublishResult,
  type PublishingProfile,
} from './client/index.ts';

// OCLC's rules, pure: upload names, account names, error codes, report files.
export { checkUploadName, describeNameCheck, isTemporaryUploadName } from './oclc/upload-name.ts';
export { encodeSymbol, accountNamesFor } from './oclc/symbol-encoding.ts';
export { DataSyncError, ERROR_CATALOGUE, EXIT_CODES, type ErrorCode } from './oclc/error-catalogue.ts';
export { parseReport, parseReportName } from './oclc/reports/parse-report.ts';
