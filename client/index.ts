// The client's public face; other parts import the client only through this file (lint enforces it).
export { publish, type PublishEvents, type PublishOptions, type PublishResult } from './publish.ts';
export { loadProfile, parseProfile, type ProfileInput, type PublishingProfile } from './profile.ts';
export {
  fetchReports,
  type FetchOptions,
  type FetchResult,
  type FileReportSummary,
} from './reports/fetch-reports.ts';
export {
  fetchOutput,
  type FetchedOutputFile,
  type OutputFetchOptions,
  type OutputFetchResult,
} from './output/fetch-output.ts';
export { exceptionsCsv, writeback, type WritebackResult } from './writeback.ts';
export {
  ALL_RECORDS,
  parseLsnList,
  readLsnFilter,
  type LsnFilter,
  type LsnFilterFiles,
} from './lsn-filter.ts';
export { SftpConnection, type ConnectOptions, type RemoteEntry } from './transport/sftp-connection.ts';
export type { HostKeyPolicy } from './transport/host-key-check.ts';
export {
  MetadataApiClient,
  type CurrentHolding,
  type HoldingAnswer,
  type MarcMediaType,
  type MetadataApiAnswer,
  type MetadataApiClientOptions,
  type MetadataApiToken,
} from './metadata-api/metadata-api-client.ts';
