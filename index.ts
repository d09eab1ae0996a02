// The package entry, `datasync-sim`: the simulator, the client, the scenario runner's admin client
// and the pure OCLC rules a Node exporter may want. `datasync-sim/testing` and
// `datasync-sim/testcontainers` are the other two entries.
export * from './simulator/index.ts';
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
export { AdminClient, AdminEventStream, type StreamEvent, type SubscribeOptions } from './scenarios/index.ts';
export { checkUploadName, describeNameCheck, isTemporaryUploadName } from './oclc/upload-name.ts';
export { encodeSymbol, accountNamesFor } from './oclc/symbol-encoding.ts';
export { DataSyncError, ERROR_CATALOGUE, EXIT_CODES, type ErrorCode } from './oclc/error-catalogue.ts';
export { parseReport, parseReportName } from './oclc/reports/parse-report.ts';
