export { startSimulator, type StartOptions } from './simulator/start-simulator.ts';
export type { StartedSimulator, SimulatorStatus } from './simulator/started-simulator.ts';
export {
  defineConfig,
  loadConfigFile,
  parseConfigText,
  type LoadConfigOptions,
  type ConfigOverrides,
} from './simulator/config/load-config.ts';
export type { SimulatorConfig, Institution, Collection } from './simulator/config/simulator-config.ts';
export { DEMO_CONFIG_YAML } from './simulator/config/demo-config.ts';
export { ManualClock, systemClock, type Clock } from './simulator/clock.ts';
export type { SimulatorEventMap, SimulatorEventName } from './simulator/events.ts';
export type { UploadRecord, UploadState } from './simulator/storage/upload-store.ts';
export { checkUploadName, describeNameCheck, isTemporaryUploadName } from './oclc/upload-name.ts';
export { encodeSymbol, accountNamesFor } from './oclc/symbol-encoding.ts';
export { DataSyncError, ERROR_CATALOGUE, EXIT_CODES, type ErrorCode } from './oclc/error-catalogue.ts';
export {
  AdminClient,
  AdminEventStream,
  type StreamEvent,
  type SubscribeOptions,
} from './scenarios/admin-client.ts';
export {
  adminRoutes,
  ErrorSchema,
  FileSchema,
  HealthSchema,
  JournalEntrySchema,
  LhrSchema,
  NameViolationSchema,
  ProcessingSummarySchema,
  RecordOutcomeSchema,
  UploadStateSchema,
  ProgressSchema,
  eventSchemas,
  type StreamEventName,
  type StreamEventData,
  type AdminRouteName,
  type FileInfo,
  type FileWithOutcomes,
  type HealthInfo,
  type JournalEntryInfo,
  type LhrInfo,
} from './simulator/admin/admin-contract.ts';
export type { RouteContract } from './simulator/admin/route-contract.ts';
export { buildOpenApiDocument } from './simulator/admin/openapi-document.ts';
export { publish, type PublishOptions, type PublishResult } from './client/publish.ts';
export { loadProfile, parseProfile, type PublishingProfile } from './client/profile.ts';
export { fetchReports } from './client/reports/fetch-reports.ts';
export { parseReport, parseReportName } from './oclc/reports/parse-report.ts';
export { writeback } from './client/writeback.ts';
export { checkFile, type CheckOptions } from './simulator/check/check-file.ts';
export type { CheckProblem, CheckResult, NameCheckResult } from './simulator/check/check-result.ts';
