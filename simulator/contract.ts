// The admin API's contract without the simulator: zod schemas and route descriptions only, so a
// client of a running simulator (AdminClient, and through it datasync-sim/testcontainers) loads
// no SQLite, no SSH and no native module (issue 23). simulator/index.ts re-exports it.
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
} from './admin/admin-contract.ts';
export type { RouteContract } from './admin/route-contract.ts';
