/**
 * The one catalogue of error codes: every failure the project reports has a code here with its
 * message template, the SFTP status it maps to, the HTTP status and the CLI exit code.
 * SFTP statuses are written as the SFTP v3 draft spells them so this file needs no ssh2 import.
 */
export type SftpStatusName =
  'EOF' | 'NO_SUCH_FILE' | 'PERMISSION_DENIED' | 'FAILURE' | 'BAD_MESSAGE' | 'OP_UNSUPPORTED';

export interface ErrorDefinition {
  /** `{name}` placeholders are filled from the error's params. */
  template: string;
  sftp: SftpStatusName;
  http: number;
  exit: number;
}

/** The CLI's documented exit codes by meaning. */
export const EXIT_CODES = {
  ok: 0,
  failure: 1,
  usage: 2,
  rejected: 3,
  notFound: 4,
  unavailable: 69,
  internal: 70,
} as const;

/** Every error the simulator and client raise: code, message template, exit code, SFTP status. */
export const ERROR_CATALOGUE = {
  CONFIG_INVALID: {
    template: 'Failed to load configuration "{source}": {problems}',
    sftp: 'FAILURE',
    http: 400,
    exit: EXIT_CODES.usage,
  },
  CONFIRMATION_NEEDED: {
    template: 'Failed to {action}: {reason}. Pass --yes to go ahead without being asked.',
    sftp: 'FAILURE',
    http: 409,
    exit: EXIT_CODES.usage,
  },
  SCENARIO_INVALID: {
    template: 'Failed to load the scenarios: {problems}',
    sftp: 'FAILURE',
    http: 400,
    exit: EXIT_CODES.usage,
  },
  CONFIG_UNREADABLE: {
    template: 'Failed to read configuration "{source}": {reason}. Check the path and permissions.',
    sftp: 'FAILURE',
    http: 400,
    exit: EXIT_CODES.usage,
  },
  LISTEN_FAILED: {
    template:
      'Failed to listen for {service} on {address}: {reason}. Pick another port (--{service}-port N, or 0 for any free port).',
    sftp: 'FAILURE',
    http: 503,
    exit: EXIT_CODES.unavailable,
  },
  DATA_DIR_LOCKED: {
    template:
      'Failed to use data dir "{dataDir}": it is in use by {holder}. Stop that simulator, or give this one another data dir (--data-dir DIR, or dataDir in the config).{hint}',
    sftp: 'FAILURE',
    http: 503,
    exit: EXIT_CODES.unavailable,
  },
  AUTH_UNENCODED_USER: {
    template: 'Failed to log in as "{user}": {reason}. Log in as {fixed}.',
    sftp: 'PERMISSION_DENIED',
    http: 401,
    exit: EXIT_CODES.rejected,
  },
  AUTH_UNKNOWN_USER: {
    template:
      'Failed to log in as "{user}": no such account. Accounts are fx_<symbol> (or the bare symbol) in lower case, with @ $ # written _64 _36 _35.',
    sftp: 'PERMISSION_DENIED',
    http: 401,
    exit: EXIT_CODES.rejected,
  },
  PATH_INVALID: {
    template: 'Failed to {action} "{path}": {reason}.',
    sftp: 'NO_SUCH_FILE',
    http: 400,
    exit: EXIT_CODES.usage,
  },
  PATH_NOT_FOUND: {
    template:
      'Failed to {action} "{path}": no such file or folder. Uploads go to /xfer/metacoll/in/bib or /xfer/metacoll/in/lhr; reports are in /xfer/metacoll/reports.',
    sftp: 'NO_SUCH_FILE',
    http: 404,
    exit: EXIT_CODES.notFound,
  },
  PATH_READ_ONLY: {
    template:
      'Failed to {action} "{path}": this folder is read-only. Upload into /xfer/metacoll/in/bib or /xfer/metacoll/in/lhr.',
    sftp: 'PERMISSION_DENIED',
    http: 403,
    exit: EXIT_CODES.rejected,
  },
  FOLDERS_FIXED: {
    template:
      'Failed to {action} "{path}": the OCLC folder tree is fixed; folders cannot be created or removed.',
    sftp: 'PERMISSION_DENIED',
    http: 403,
    exit: EXIT_CODES.rejected,
  },
  FILE_EXISTS: {
    template: 'Failed to {action} "{path}": a file with that name already exists. {hint}',
    sftp: 'FAILURE',
    http: 409,
    exit: EXIT_CODES.rejected,
  },
  FILE_PENDING_PICKUP: {
    template:
      'Failed to {action} "{path}": the upload is complete and waiting to be picked up for processing. Upload under a new name.',
    sftp: 'FAILURE',
    http: 409,
    exit: EXIT_CODES.rejected,
  },
  FILE_NAME_REJECTED: {
    template: 'Failed to upload "{name}": {explanation}',
    sftp: 'PERMISSION_DENIED',
    http: 422,
    exit: EXIT_CODES.rejected,
  },
  IS_A_DIRECTORY: {
    template: 'Failed to {action} "{path}": it is a folder, not a file.',
    sftp: 'FAILURE',
    http: 400,
    exit: EXIT_CODES.usage,
  },
  HANDLE_INVALID: {
    template: 'Failed to {action}: the handle is not open (it was closed or never issued).',
    sftp: 'FAILURE',
    http: 400,
    exit: EXIT_CODES.failure,
  },
  HANDLE_LIMIT: {
    template:
      'Failed to open: this session has {limit} files and folders open, the most the server allows in one session (sftp.maxHandles, lowered to fit its file-descriptor limit). Close some before opening more.',
    sftp: 'FAILURE',
    http: 429,
    exit: EXIT_CODES.unavailable,
  },
  FILE_SIZE_LIMIT: {
    template:
      'Failed to {action} "{path}" at offset {offset}: files on this server are at most {limit} ({bytes} bytes, sftp.maxFileSize); nothing was {done}.',
    sftp: 'FAILURE',
    http: 413,
    exit: EXIT_CODES.rejected,
  },
  SERVER_BUSY_HANDLES: {
    template:
      'Failed to open: the server has as many files open as its file-descriptor limit allows (the rest is kept for logins). Close some, or try again when other sessions have closed theirs.',
    sftp: 'FAILURE',
    http: 503,
    exit: EXIT_CODES.unavailable,
  },
  OP_UNSUPPORTED: {
    template: "Failed to {action}: OCLC's file exchange does not support this operation.",
    sftp: 'OP_UNSUPPORTED',
    http: 501,
    exit: EXIT_CODES.failure,
  },
  FAULT_INVALID: {
    template: 'Failed to add the fault rule: {problems}. See "Faults" in the README for the rule shape.',
    sftp: 'FAILURE',
    http: 400,
    exit: EXIT_CODES.usage,
  },
  JOURNAL_EXPECTATION_INVALID: {
    template:
      'Failed to verify the journal: {problems}. Send {"match": {...}, "count": N} (or atLeast, atMost).',
    sftp: 'FAILURE',
    http: 400,
    exit: EXIT_CODES.usage,
  },
  LINK_REFUSED: {
    template:
      'Failed to link "{path}": OCLC\'s file exchange does not allow links. Upload the file under the name it should have.',
    sftp: 'PERMISSION_DENIED',
    http: 403,
    exit: EXIT_CODES.rejected,
  },
  UPLOAD_PICKED_UP: {
    template:
      'Failed to {action} "{path}": the file was accepted and picked up for processing at {at}, so it is no longer in the upload folder. Nothing is wrong; its reports will appear in /xfer/metacoll/reports.',
    sftp: 'NO_SUCH_FILE',
    http: 404,
    exit: EXIT_CODES.notFound,
  },
  UPLOAD_INTERRUPTED: {
    template:
      'Failed to {action} "{path}": the earlier upload under this name was interrupted at {at} ({reason}) and the partial file was discarded, so it cannot be resumed. Upload the whole file again, or upload to a temporary name (.part) so an interrupted transfer can resume, then rename it.',
    sftp: 'NO_SUCH_FILE',
    http: 404,
    exit: EXIT_CODES.notFound,
  },
  UPLOAD_WRITE_FAILED: {
    template:
      'Failed to {action} "{path}": the WRITE at offset {offset} failed ({reason}); the upload was not kept and will not be processed. Upload the whole file again.',
    sftp: 'FAILURE',
    http: 409,
    exit: EXIT_CODES.failure,
  },
  UPLOAD_HAS_GAP: {
    template:
      'Failed to {action} "{path}": bytes {from} to {to} were never written (a WRITE past the end left a gap); the upload was not kept and will not be processed. Upload the whole file again.',
    sftp: 'FAILURE',
    http: 409,
    exit: EXIT_CODES.failure,
  },
  ATTRIBUTES_FIXED: {
    template: 'Failed to set attributes of "{path}": {reason}.',
    sftp: 'PERMISSION_DENIED',
    http: 403,
    exit: EXIT_CODES.rejected,
  },
  CLOCK_NOT_MANUAL: {
    template:
      'Failed to advance the clock: the simulator runs on the system clock. Start it with "clock: manual" in the configuration to step time.',
    sftp: 'FAILURE',
    http: 409,
    exit: EXIT_CODES.usage,
  },
  CLIENT_CONNECT_FAILED: {
    template:
      'Failed to connect to {address}: {reason}. Check the host and port in the profile, and that the server is up.',
    sftp: 'FAILURE',
    http: 502,
    exit: EXIT_CODES.unavailable,
  },
  CLIENT_HOST_KEY_REFUSED: {
    template:
      'Failed to trust the server {address}: its host key {fingerprint} {reason}. If the server really changed its key, update sftp.hostKey in the profile.',
    sftp: 'FAILURE',
    http: 502,
    exit: EXIT_CODES.rejected,
  },
  CLIENT_AUTH_FAILED: {
    template: 'Failed to log in to {address} as "{user}": {reason}. Check sftp.user and the password or key.',
    sftp: 'PERMISSION_DENIED',
    http: 401,
    exit: EXIT_CODES.rejected,
  },
  CLIENT_UPLOAD_REFUSED: {
    template: 'Failed to upload "{name}": the server refused it: {reason}',
    sftp: 'PERMISSION_DENIED',
    http: 422,
    exit: EXIT_CODES.rejected,
  },
  CLIENT_REFUSED: {
    template: 'Failed to {action}: the server refused it: {reason}',
    sftp: 'PERMISSION_DENIED',
    http: 422,
    exit: EXIT_CODES.rejected,
  },
  API_SECRET_MISSING: {
    template:
      'Failed to {action}: no WSKey secret. Set OCLC_SECRET in the environment to the secret of --key {key} (it is never given as a flag, so it stays out of shell history).',
    sftp: 'FAILURE',
    http: 400,
    exit: EXIT_CODES.usage,
  },
  API_TOKEN_REFUSED: {
    template:
      'Failed to get a token from {url}: {status} {reason}. Check --key, OCLC_SECRET and --token-url.',
    sftp: 'PERMISSION_DENIED',
    http: 401,
    exit: EXIT_CODES.rejected,
  },
  CLIENT_CONNECTION_LOST: {
    template: 'Failed to {action}: the connection to {address} was lost ({reason}).',
    sftp: 'FAILURE',
    http: 502,
    exit: EXIT_CODES.unavailable,
  },
  INPUT_UNREADABLE: {
    template: 'Failed to read "{path}": {reason}.',
    sftp: 'FAILURE',
    http: 400,
    exit: EXIT_CODES.usage,
  },
  OUTPUT_UNWRITABLE: {
    template:
      'Failed to write "{path}": {reason}. Choose a path in a folder that exists and you can write to.',
    sftp: 'FAILURE',
    http: 400,
    exit: EXIT_CODES.usage,
  },
  REQUEST_INVALID: {
    template: 'Failed to answer {request}: {problems}. GET /api/openapi.json describes every request.',
    sftp: 'BAD_MESSAGE',
    http: 400,
    exit: EXIT_CODES.usage,
  },
  NOT_FOUND: {
    template: 'Failed to find {subject}: {reason}.',
    sftp: 'NO_SUCH_FILE',
    http: 404,
    exit: EXIT_CODES.notFound,
  },
  DISK_FULL: {
    template:
      'Failed to {action} "{path}": the simulator\'s disk is full; the upload was not kept. Try again once the simulator\'s operator has freed space.',
    sftp: 'FAILURE',
    http: 507,
    exit: EXIT_CODES.unavailable,
  },
  DISK_LOW: {
    template:
      'Failed to {action} "{path}": the simulator\'s disk has {free} free, below its minFreeSpace of {minimum}; new uploads are refused until space is freed.',
    sftp: 'FAILURE',
    http: 507,
    exit: EXIT_CODES.unavailable,
  },
  QUOTA_EXCEEDED: {
    template:
      'Failed to {action} "{path}": institution {symbol} would hold {usage}, over its quota of {quota}; the upload was not kept. Remove files or ask for a larger quota.',
    sftp: 'FAILURE',
    http: 507,
    exit: EXIT_CODES.rejected,
  },
  STORAGE_FAILED: {
    template:
      'Failed to {action} "{path}": the simulator could not {operation} its disk ({reason}); the upload was not kept. Try again; if it repeats, tell the simulator\'s operator.',
    sftp: 'FAILURE',
    http: 503,
    exit: EXIT_CODES.unavailable,
  },
  NAME_TOO_LONG: {
    template: 'Failed to {action} "{path}": the name is {length} bytes; names are at most {max} bytes.',
    sftp: 'FAILURE',
    http: 400,
    exit: EXIT_CODES.rejected,
  },
  STATE_UNREADABLE: {
    template:
      'Failed to open the state database "{file}": {reason}. Move it aside (the simulator then starts with empty state) or start with a new data dir (--data-dir).',
    sftp: 'FAILURE',
    http: 503,
    exit: EXIT_CODES.usage,
  },
  STORE_UNREACHABLE: {
    template:
      'Failed to open the PostgreSQL store {target}: {reason}. Check store.url in the configuration and that the database server is running and reachable.',
    sftp: 'FAILURE',
    http: 503,
    exit: EXIT_CODES.unavailable,
  },
  STATE_WRITE_FAILED: {
    template:
      "Failed to {action}: the simulator could not write its state database ({reason}). Nothing was changed; try again once the simulator's disk has space.",
    sftp: 'FAILURE',
    http: 503,
    exit: EXIT_CODES.unavailable,
  },
  ADMIN_UNAUTHORIZED: {
    template:
      'Failed to answer {request}: {reason}. Send the admin token as "Authorization: Bearer <token>" (admin.token, admin.tokenEnv or DATASYNC_ADMIN_TOKEN).',
    sftp: 'PERMISSION_DENIED',
    http: 401,
    exit: EXIT_CODES.rejected,
  },
  ADMIN_HOST_REFUSED: {
    template:
      'Failed to answer {request}: the Host header "{host}" is not a name of this simulator. Use 127.0.0.1, localhost or its address, or list the name in admin.hostNames.',
    sftp: 'PERMISSION_DENIED',
    http: 403,
    exit: EXIT_CODES.rejected,
  },
  ADMIN_MEDIA_TYPE: {
    template:
      'Failed to answer {request}: it takes Content-Type {expected}, not "{given}". Send the body as JSON, e.g. curl -H "Content-Type: application/json" -d "{}".',
    sftp: 'BAD_MESSAGE',
    http: 415,
    exit: EXIT_CODES.usage,
  },
  ADMIN_BODY_MALFORMED: {
    template: 'Failed to answer {request}: the body is not valid JSON ({reason}).',
    sftp: 'BAD_MESSAGE',
    http: 400,
    exit: EXIT_CODES.usage,
  },
  ADMIN_BODY_ENCODING: {
    template:
      'Failed to answer {request}: {reason}. Send the body as UTF-8 JSON without a Content-Encoding (or with gzip, deflate or br that is whole).',
    sftp: 'BAD_MESSAGE',
    http: 415,
    exit: EXIT_CODES.usage,
  },
  ADMIN_BODY_TOO_LARGE: {
    template: 'Failed to answer {request}: the body is larger than {limit}.',
    sftp: 'BAD_MESSAGE',
    http: 413,
    exit: EXIT_CODES.usage,
  },
  WORLDCAT_REFUSED: {
    template: 'Failed to {action}: {reason}.',
    sftp: 'FAILURE',
    http: 409,
    exit: EXIT_CODES.rejected,
  },
  NAMESPACE_REFUSED: {
    template: 'Failed to {action} namespace "{name}": {reason}.',
    sftp: 'FAILURE',
    http: 409,
    exit: EXIT_CODES.rejected,
  },
  SIMULATOR_STOPPED: {
    template:
      'Failed to wait for {event}: the simulator was stopped before it happened. Create the waitFor promise before the action that causes the event, and await it before stop().',
    sftp: 'FAILURE',
    http: 503,
    exit: EXIT_CODES.failure,
  },
  INTERNAL: {
    template:
      'Failed to {action}: internal error ({reason}). This is a bug in datasync-sim; please report it with the journal.',
    sftp: 'FAILURE',
    http: 500,
    exit: EXIT_CODES.internal,
  },
} as const satisfies Record<string, ErrorDefinition>;

/** A code of `ERROR_CATALOGUE`. */
export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export type ErrorParams = Readonly<Record<string, string | number>>;

/** An error with a catalogue code (`ErrorCode`): a message naming the problem and the fix, and the CLI's exit code. */
export class DataSyncError extends Error {
  readonly code: ErrorCode;
  readonly params: ErrorParams;

  constructor(code: ErrorCode, params: ErrorParams = {}, options?: { cause?: unknown }) {
    super(formatMessage(ERROR_CATALOGUE[code].template, params), options);
    this.name = 'DataSyncError';
    this.code = code;
    this.params = params;
  }

  get definition(): ErrorDefinition {
    return ERROR_CATALOGUE[this.code];
  }
}

export function formatMessage(template: string, params: ErrorParams): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in params ? String(params[key]) : whole,
  );
}

/** Turns anything thrown into a catalogued error; unknown errors become INTERNAL. */
export function toDataSyncError(error: unknown, action: string): DataSyncError {
  if (error instanceof DataSyncError) return error;
  const code = (error as { code?: unknown } | undefined)?.code;
  // A full or failing disk under the state database is the operator's problem, not a bug.
  if (typeof code === 'string' && /^SQLITE_(FULL|IOERR|READONLY)/.test(code)) {
    return new DataSyncError('STATE_WRITE_FAILED', { action, reason: code }, { cause: error });
  }
  // Out of descriptors is a limit of the host, answered like the handle budget (no bug).
  if (code === 'EMFILE' || code === 'ENFILE')
    return new DataSyncError('SERVER_BUSY_HANDLES', {}, { cause: error });
  return new DataSyncError('INTERNAL', { action, reason: describeFailure(error) }, { cause: error });
}

/**
 * What went wrong, fit for a client: a system call's error names the call and its code but never
 * the path it was given, so the server's disk layout stays private.
 */
export function describeFailure(error: unknown): string {
  const e = error as { code?: unknown; syscall?: unknown; message?: unknown } | undefined;
  if (typeof e?.code === 'string' && typeof e.syscall === 'string')
    return `${e.syscall} failed with ${e.code}`;
  if (typeof e?.code === 'string' && e.code.startsWith('SQLITE_')) return `database error ${e.code}`;
  return error instanceof Error ? error.message : String(error);
}
