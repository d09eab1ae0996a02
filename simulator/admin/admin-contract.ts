import { z } from 'zod';
import { wholeNumber } from './whole-number.ts';
import { parseDuration } from '../../oclc/duration.ts';
import type { NameViolationCode } from '../../oclc/upload-name.ts';
import { UPLOAD_STATES } from '../storage/upload-store.ts';
import { dashboardRoutes } from './dashboard-routes-contract.ts';
import { faultRoutes } from './fault-routes-contract.ts';
import { institutionRoutes } from './institution-routes-contract.ts';
import { HostKeySummarySchema } from './host-key-schema.ts';
import { OutboxMessageSchema, outboxRoutes } from './outbox-routes-contract.ts';
import { outputRoutes } from './output-routes-contract.ts';
import { metadataApiRoutes } from './metadata-api-routes-contract.ts';
import { metricsRoutes } from './metrics-routes-contract.ts';
import { namespaceRoutes } from './namespace-routes-contract.ts';
import type { RouteContract } from './route-contract.ts';

/**
 * The admin API contract, written once: every route's request and response as zod schemas. The
 * server validates requests with it, the admin client parses answers with it, and
 * GET /api/openapi.json is generated from it. `id` in `.meta()` names an OpenAPI component.
 */

const NAME_VIOLATION_CODES = [
  'unencoded-special-character',
  'space',
  'invalid-character',
  'leading-character',
  'empty-element',
  'extension',
  'collection-id-missing',
  'collection-id-malformed',
  'collection-id-unknown',
  'collection-id-other-folder',
  'symbol-mismatch',
  'label-missing',
  'too-long',
] as const satisfies readonly NameViolationCode[]; // the server's types check the other direction

const epochMs = z.number().int().meta({ description: 'milliseconds since 1970-01-01T00:00:00Z' });

export const UploadStateSchema = z
  .enum(UPLOAD_STATES, { error: () => `state must be one of ${UPLOAD_STATES.join(', ')}` })
  .meta({
    id: 'UploadState',
    description:
      'receiving → received → queued → processing → processed (or failed); halted files never reach ' +
      'processing; superseded ones were replaced by a same-named file that day; refused uploads never ' +
      'got bytes; incomplete ones lost their connection before CLOSE; removed ones were deleted before pickup.',
  });

export const NameViolationSchema = z
  .object({
    code: z.enum(NAME_VIOLATION_CODES),
    reason: z.string().meta({ description: "why the name breaks the rule, in OCLC's terms" }),
  })
  .meta({ id: 'NameViolation' });

export const ProcessingSummarySchema = z
  .object({
    records: z.number().int(),
    actions: z.record(z.string(), z.number().int()).meta({ description: 'record counts by action' }),
    dataErrors: z.number().int(),
    holdingsSet: z.number().int(),
    holdingsCancelled: z.number().int(),
    reports: z.array(z.string()).meta({ description: 'report file names in the reports folder' }),
    errorClasses: z
      .record(z.string(), z.number().int())
      .optional()
      .meta({
        description:
          'records per error class as the exception reports name it: the type, with the severity when it ' +
          'has one, e.g. "Validation Error (SEVERE)", "Data Error"',
      }),
    lhr: z
      .object({
        added: z.number().int().meta({ description: 'LHRs with a new LSN' }),
        replaced: z.number().int().meta({ description: 'existing LHRs the file replaced' }),
        deleted: z.number().int().meta({ description: 'LHRs the file asked to delete' }),
        removedByReplace: z
          .number()
          .int()
          .meta({ description: 'LHRs the file left out of an OCN it set, removed by replace-all' }),
      })
      .optional()
      .meta({ description: "an LHR file's replace-all effect" }),
  })
  .meta({ id: 'ProcessingSummary' });

export const FileSchema = z
  .object({
    id: z.number().int(),
    account: z.string(),
    senderSymbol: z.string(),
    targetSymbol: z.string(),
    folder: z.string(),
    name: z.string(),
    tempName: z.string().nullable(),
    kind: z.enum(['bib', 'lhr']),
    collectionId: z.string().nullable(),
    routedToDefault: z.boolean(),
    state: UploadStateSchema,
    size: z.number().int().nullable(),
    sha256: z.string().nullable(),
    startedAt: epochMs,
    receivedAt: epochMs.nullable(),
    queuedAt: epochMs.nullable(),
    violations: z.array(NameViolationSchema),
    reason: z.string().nullable(),
    storedPath: z
      .string()
      .nullable()
      .meta({ description: 'where the accepted copy is kept, relative to the data dir (null once removed)' }),
    processedAt: epochMs.nullable(),
    summary: ProcessingSummarySchema.nullable(),
  })
  .meta({ id: 'File', description: 'one upload attempt, accepted or not' });

export const RecordOutcomeSchema = z
  .object({
    offset: z.number().int(),
    locator: z.string(),
    lsn: z.string(),
    incomingOcn: z.string(),
    worldcatOcn: z.string(),
    action: z.string(),
    errors: z.array(
      z.object({
        type: z.string(),
        severity: z.string(),
        message: z.string(),
        detail: z.string().optional(),
      }),
    ),
  })
  .meta({ id: 'RecordOutcome' });

export const LhrSchema = z
  .object({
    ocn: z.string(),
    lsn: z.string(),
    holdingLibrary: z.string(),
    location: z.string(),
    callNumber: z.string(),
    barcodes: z.array(z.string()),
    sourceFile: z
      .object({ id: z.number().int(), name: z.string().nullable() })
      .nullable()
      .describe('The Data Sync file that set it; null for an LHR the Metadata API wrote'),
  })
  .meta({ id: 'Lhr' });

export const JournalEntrySchema = z
  .object({
    id: z.number().int(),
    at: epochMs,
    type: z.string().meta({ description: 'the event name, e.g. auth:refused or file:processed' }),
    account: z.string().nullable(),
    subject: z.string().nullable(),
    message: z.string().nullable(),
    data: z.unknown(),
  })
  .meta({ id: 'JournalEntry' });

export const HealthSchema = z
  .object({
    status: z.literal('ok'),
    sftp: z.object({
      host: z.string(),
      port: z.number().int(),
      /** The Ed25519 key's (the one key before RSA and ECDSA were offered). */
      hostKeyFingerprint: z.string(),
      /** Every host key offered, in the order the server announces them. */
      hostKeys: z.array(HostKeySummarySchema),
    }),
    fileNames: z.enum(['strict', 'faithful']),
    processing: z.discriminatedUnion('mode', [
      z.object({ mode: z.literal('immediate') }),
      z.object({ mode: z.literal('manual') }),
      z.object({ mode: z.literal('delay'), delayMs: z.number().int() }),
    ]),
    clock: z.enum(['system', 'manual']),
    pickupDelayMs: z.number().int(),
    institutions: z.array(
      z.object({
        symbol: z.string(),
        accounts: z.array(z.string()),
        collections: z.array(
          z.object({ id: z.string(), type: z.enum(['bib', 'lhr', 'delete-holdings', 'delete-lhr']) }),
        ),
      }),
    ),
    now: z.string().meta({ description: "the simulator clock's time, ISO 8601" }),
  })
  .meta({ id: 'Health' });

export const BanSchema = z
  .object({
    address: z.string(),
    since: epochMs,
    until: epochMs,
    failures: z.number().int().meta({ description: 'failed logins within the window that led to the ban' }),
  })
  .meta({ id: 'Ban' });

/** What GET /api/health tells a caller without the admin token, when one is configured. */
export const PublicHealthSchema = z
  .object({ status: z.literal('ok') })
  .meta({ id: 'PublicHealth', description: 'the simulator is up; send the admin token for details' });

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'a code from the error catalogue, e.g. NOT_FOUND' }),
      message: z.string().meta({ description: 'what failed, why, and how to fix it' }),
    }),
  })
  .meta({ id: 'Error' });

export const ProgressSchema = z
  .object({
    fileId: z.number().int(),
    name: z.string(),
    records: z.number().int().meta({ description: 'records read so far' }),
    bytes: z.number().int().meta({ description: 'bytes read so far' }),
    totalBytes: z.number().int(),
  })
  .meta({ id: 'Progress' });

/**
 * The payload (`data:`) of each event on GET /api/events, by event name (`event:`). Events not
 * listed here may appear too; clients pass their data through unparsed.
 */
const WebhookAttemptSchema = z
  .object({
    url: z.string(),
    event: z.string().meta({ description: 'the event delivered' }),
    eventId: z.number().int().meta({ description: 'its journal id' }),
    delivery: z.string().meta({ description: 'X-Datasync-Delivery: the same on every retry' }),
    attempt: z.number().int(),
    status: z.number().int().optional().meta({ description: "the receiver's HTTP status, if it answered" }),
    reason: z.string().optional(),
    retryInMs: z.number().int().nullable().optional().meta({ description: 'null: no more attempts' }),
  })
  .meta({ id: 'WebhookAttempt' });

export const eventSchemas = {
  'auth:accepted': z.object({ account: z.string(), symbol: z.string(), method: z.string() }),
  'auth:refused': z.object({ user: z.string(), method: z.string(), reason: z.string() }),
  'upload:started': FileSchema,
  'upload:refused': FileSchema,
  'upload:received': FileSchema,
  'upload:incomplete': FileSchema,
  'upload:removed': FileSchema,
  'upload:abandoned': FileSchema,
  'upload:same-name': FileSchema.extend({
    earlier: z
      .object({
        id: z.number().int(),
        name: z.string(),
        state: z.string(),
        receivedAt: z.number().int().nullable(),
      })
      .meta({ description: 'the earlier upload of the name, already processing or processed' }),
  }).meta({
    description:
      'the name arrived again the same Eastern day after its earlier file was processed: OCLC would have processed only this later file',
  }),
  'file:queued': FileSchema,
  'file:halted': FileSchema,
  'file:processing': FileSchema,
  'file:processed': FileSchema,
  'file:failed': FileSchema,
  'file:superseded': FileSchema,
  'processing:progress': ProgressSchema,
  'simulator:reset': z.object({ at: z.string() }),
  'demo:step': z.object({
    step: z.number().int().meta({ description: 'the step being told, from 1' }),
    total: z.number().int(),
    title: z.string(),
    why: z.string().meta({ description: 'why the step matters, in one sentence' }),
  }),
  'stream:open': z.object({ lastEventId: z.number().int() }),
  'listener:error': z.object({
    event: z.string().meta({ description: 'the event the listener or predicate was called for' }),
    source: z.enum(['listener', 'waitFor']),
    message: z.string(),
  }),
  'sftp:denied': z.object({
    account: z.string(),
    operation: z.string(),
    path: z.string(),
    code: z.string(),
    message: z.string(),
  }),
  'output:delivered': z.object({
    symbol: z.string(),
    collectionId: z.string(),
    files: z.array(z.string()),
    records: z.number().int(),
  }),
  'output:zipped': z.object({ symbol: z.string(), path: z.string() }),
  'output:removed': z.object({ symbol: z.string(), path: z.string() }),
  'outbox:reports-ready': OutboxMessageSchema.omit({ id: true, at: true }),
  'outbox:file-failed': OutboxMessageSchema.omit({ id: true, at: true }),
  'outbox:output-delivered': OutboxMessageSchema.omit({ id: true, at: true }),
  'webhook:delivered': WebhookAttemptSchema,
  'webhook:failed': WebhookAttemptSchema,
  'worldcat:edited': z.object({ ocn: z.string() }),
  'worldcat:merged': z.object({ from: z.string(), to: z.string(), holders: z.array(z.string()) }),
} as const;

/** The name of an event on the admin event stream (`GET /api/events`). */
export type StreamEventName = keyof typeof eventSchemas;
/** The data an event of the given name carries on the admin event stream. */
export type StreamEventData<E extends StreamEventName> = z.infer<(typeof eventSchemas)[E]>;

const symbolParam = z.object({
  symbol: z.string().meta({
    description: 'institution symbol as OCLC spells it (AB@, URL-encoded) or as in names (AB_64), any case',
    example: 'PUL',
  }),
});

const count = (description: string) => wholeNumber().optional().meta({ description });

/** Every admin API route. New routes are added here first; the server refuses to mount others. */
export const adminRoutes = {
  health: {
    method: 'get',
    path: '/api/health',
    tags: ['simulator'],
    summary: 'Status, SFTP endpoint and host key, modes, institutions with their accounts and collections',
    description:
      'Needs no token. When admin.token is set, a caller without it learns only that the simulator is up.',
    response: z.union([HealthSchema, PublicHealthSchema]),
  },
  listFiles: {
    method: 'get',
    path: '/api/files',
    tags: ['files'],
    summary: 'Every upload with its state, name violations and processing summary',
    query: z.object({
      state: UploadStateSchema.optional(),
      account: z.string().optional().meta({ description: 'login name, e.g. fx_pul' }),
      symbol: z.string().optional().meta({ description: 'sender or target symbol' }),
    }),
    response: z.object({ files: z.array(FileSchema) }),
  },
  getFile: {
    method: 'get',
    path: '/api/files/{id}',
    tags: ['files'],
    summary: 'One upload and its per-record outcomes, a page at a time',
    params: z.object({ id: wholeNumber({ min: 1 }).meta({ description: 'the upload id' }) }),
    query: z.object({
      offset: count('first outcome to return (default 0)'),
      limit: count('outcomes to return (default 1000, at most 100000)'),
    }),
    response: FileSchema.extend({
      outcomeCount: z.number().int(),
      outcomes: z.array(RecordOutcomeSchema),
    }).meta({ id: 'FileWithOutcomes' }),
    errors: [404],
  },
  holdings: {
    method: 'get',
    path: '/api/institutions/{symbol}/holdings',
    tags: ['worldcat'],
    summary: "The OCNs an institution's holdings are set on",
    params: symbolParam,
    response: z.object({ symbol: z.string(), ocns: z.array(z.string()) }),
    errors: [404],
  },
  lhrs: {
    method: 'get',
    path: '/api/institutions/{symbol}/lhrs',
    tags: ['worldcat'],
    summary: "An institution's local holdings records, optionally for one OCN",
    params: symbolParam,
    query: z.object({ ocn: z.string().optional() }),
    response: z.object({ symbol: z.string(), lhrs: z.array(LhrSchema) }),
    errors: [404],
  },
  journal: {
    method: 'get',
    path: '/api/journal',
    tags: ['simulator'],
    summary: 'What the simulator saw: logins, refusals, uploads, pickups, oldest first',
    query: z.object({
      type: z.string().optional().meta({
        description: 'only these event names, comma-separated; `upload:*` takes a whole family',
        example: 'upload:*,file:*',
      }),
      operation: z
        .string()
        .optional()
        .meta({ description: 'only this operation (rename, login, processing, ...)' }),
      path: z.string().optional().meta({ description: 'a glob over the SFTP path or upload name' }),
      account: z.string().optional().meta({ description: 'login name, e.g. fx_pul' }),
      file: wholeNumber({ min: 1 })
        .optional()
        .meta({ description: "only one upload's story: its upload:* and file:* events, by upload id" }),
      exclude: z.string().optional().meta({
        description: 'leave out these event names, comma-separated; `sftp:*` leaves out a whole family',
        example: 'sftp:operation',
      }),
      since: z.string().optional().meta({ description: 'ISO 8601 time or milliseconds since 1970' }),
      limit: count('newest entries to return (default 500)'),
    }),
    response: z.object({ entries: z.array(JournalEntrySchema) }),
  },
  reset: {
    method: 'post',
    path: '/api/reset',
    tags: ['control'],
    summary: 'Forget files, holdings, LHRs, reports and the journal; keep config, host key and ports',
    body: z.object({}).optional(),
    response: z.object({ status: z.literal('reset') }),
  },
  processNow: {
    method: 'post',
    path: '/api/processing/run',
    tags: ['control'],
    summary: 'Process every queued file now, whatever the processing mode',
    body: z.object({}).optional(),
    response: z.object({ processed: z.array(FileSchema) }),
  },
  advanceClock: {
    method: 'post',
    path: '/api/clock/advance',
    tags: ['control'],
    summary: 'Step a manual clock forward',
    body: z.object({
      by: z
        .union([
          z.string().refine((text) => parseDuration(text) !== undefined, {
            error: (issue) =>
              `${JSON.stringify(issue.input)} is not a duration; write it like 30s, 5m or 4h, or give milliseconds`,
          }),
          z.number().int().min(0),
        ])
        .meta({
          description: 'a duration such as 30s, 5m or 4h, or a number of milliseconds',
          example: '4h',
        }),
    }),
    response: z.object({ now: z.string() }),
    errors: [409],
  },
  defender: {
    method: 'get',
    path: '/api/defender',
    tags: ['security'],
    summary: 'Client addresses banned after repeated failed logins (sftp.defender), until when',
    response: z.object({ bans: z.array(BanSchema) }),
  },
  unban: {
    method: 'delete',
    path: '/api/defender/{address}',
    tags: ['security'],
    summary: 'Lift the ban on one address',
    params: z.object({
      address: z.string().meta({ description: 'the client IP address', example: '127.0.0.1' }),
    }),
    response: z.object({ address: z.string(), unbanned: z.literal(true) }),
    errors: [404],
  },
  institutions: {
    method: 'get',
    path: '/api/institutions',
    tags: ['simulator'],
    summary: 'The institutions with their login names, collections and SFTP folders',
    response: z.object({
      institutions: z.array(
        z.object({
          symbol: z.string(),
          encodedSymbol: z.string(),
          accounts: z.object({ current: z.string(), legacy: z.string() }),
          uploadsFor: z.array(z.string()),
          collections: z.array(
            z.object({
              id: z.string(),
              type: z.enum(['bib', 'lhr', 'delete-holdings', 'delete-lhr']),
              default: z.boolean(),
            }),
          ),
          folders: z.array(z.string()),
        }),
      ),
    }),
  },
  report: {
    method: 'get',
    path: '/api/files/{id}/reports/{report}',
    tags: ['files'],
    summary: 'Download one of the reports written for a processed file',
    params: z.object({ id: wholeNumber({ min: 1 }), report: z.string() }),
    response: z.string(),
    responseMediaType: 'text/plain',
    errors: [404],
  },
  uploadFile: {
    method: 'put',
    path: '/api/institutions/{symbol}/files/{name}',
    tags: ['files'],
    summary: "Upload a file as the institution's account would over SFTP (the dashboard's browser upload)",
    description:
      'The raw bytes, as application/octet-stream. The same intake as SFTP: the name rules, staging, ' +
      'the pickup delay and the events; the file goes to in/bib or in/lhr as its collection ID says. ' +
      "A refused name answers 422 FILE_NAME_REJECTED with the rule's message and fix.",
    params: symbolParam.extend({
      name: z
        .string()
        .meta({ description: 'the upload name, URL-encoded', example: '1012676.pul.books.mrc' }),
    }),
    rawBody: { mediaType: 'application/octet-stream', description: "the file's bytes" },
    response: FileSchema,
    errors: [401, 404, 409, 413, 415, 422],
  },
  events: {
    method: 'get',
    path: '/api/events',
    tags: ['simulator'],
    summary: 'Server-sent events: every simulator event as it happens; Last-Event-ID resumes without loss',
    description:
      'Each message is `id:` (the journal entry id), `event:` (the event name: ' +
      Object.keys(eventSchemas).join(', ') +
      ') and `data:` (the JSON payload). `processing:progress` (at most four a second per file) ' +
      'carries no id: it is transient and not replayed. A stream opened without a resume point starts ' +
      'with `stream:open`, whose id is the newest journal id. Reconnecting with a `Last-Event-ID` header (or ' +
      '`?since=<id>`) first replays every event after that id, from the journal. A comment line is ' +
      'sent every 15 seconds to keep proxies from closing an idle stream.',
    query: z.object({
      since: wholeNumber()
        .optional()
        .meta({ description: 'replay events after this id, for clients that cannot set Last-Event-ID' }),
    }),
    response: z.string(),
    responseMediaType: 'text/event-stream',
  },
  openapi: {
    method: 'get',
    path: '/api/openapi.json',
    tags: ['documentation'],
    summary:
      'This document: the admin API as OpenAPI 3.1, generated from the same schemas the server validates with',
    response: z.record(z.string(), z.unknown()),
  },
  docs: {
    method: 'get',
    path: '/api/docs',
    tags: ['documentation'],
    summary: 'This document rendered for reading (Swagger UI, served from the package; works offline)',
    response: z.string(),
    responseMediaType: 'text/html',
  },
  ...faultRoutes,
  ...outputRoutes,
  ...metadataApiRoutes,
  ...institutionRoutes,
  ...outboxRoutes,
  ...dashboardRoutes,
  ...metricsRoutes,
  ...namespaceRoutes,
} as const satisfies Record<string, RouteContract>;

/** The name of an admin API route in `adminRoutes` (`listFiles`, `getFile`, …). */
export type AdminRouteName = keyof typeof adminRoutes;
/** An upload as the admin API answers it (`GET /api/files`). */
export type FileInfo = z.infer<typeof FileSchema>;
/** One upload with its per-record outcomes (`GET /api/files/{id}`). */
export type FileWithOutcomes = z.infer<(typeof adminRoutes)['getFile']['response']>;
/** The simulator's status (`GET /api/health`): addresses, host keys, modes, institutions. */
export type HealthInfo = z.infer<typeof HealthSchema>;
/** A local holdings record as the admin API answers it. */
export type LhrInfo = z.infer<typeof LhrSchema>;
/** One journal entry (`GET /api/journal`): what happened, when, with its chain hash. */
export type JournalEntryInfo = z.infer<typeof JournalEntrySchema>;
export type InstitutionInfo = z.infer<
  (typeof adminRoutes)['institutions']['response']
>['institutions'][number];
