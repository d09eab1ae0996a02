import { z } from 'zod';
import { parseDuration } from '../../oclc/duration.ts';

/**
 * Operations a rule can match: the SFTP requests by their protocol names, login, processing, and
 * `api` (a WorldCat Metadata API call; its path is the HTTP path, e.g. /worldcat/manage/bibs/1).
 */
export const FAULT_OPERATIONS = [
  'login',
  'open',
  'write',
  'close',
  'read',
  'rename',
  'posix-rename',
  'remove',
  'stat',
  'lstat',
  'fstat',
  'opendir',
  'readdir',
  'realpath',
  'mkdir',
  'rmdir',
  'setstat',
  'statvfs',
  'fsync',
  'processing',
  'api',
] as const;

export type FaultOperation = (typeof FAULT_OPERATIONS)[number];

export const FAULT_STATUSES = [
  'failure',
  'permission-denied',
  'no-such-file',
  'op-unsupported',
  'bad-message',
  'connection-lost',
] as const;

export type FaultStatus = (typeof FAULT_STATUSES)[number];

/** Kept as written (`2s`, `4h`) so rules list as they were given; parsed where applied. */
const duration = z.string().refine((value) => parseDuration(value) !== undefined, {
  message: 'not a duration; write it like 2s, 5m or 4h',
});

/** The match shape shared by fault rules and journal verification; every given field must match. */
export const faultMatchSchema = z.strictObject({
  operation: z.enum(FAULT_OPERATIONS).optional(),
  /** A glob over the SFTP path (a rename's new path), or the upload name for processing. */
  path: z.string().min(1).optional(),
  account: z.string().min(1).optional(),
  /** Only the n-th matching call. */
  nth: z.number().int().positive().optional(),
});

/** Which calls a fault rule applies to (operation, path glob, account, the n-th call); every given field must match. */
export type FaultMatch = z.output<typeof faultMatchSchema>;

export const faultActionSchema = z.union([
  z.strictObject({ status: z.enum(FAULT_STATUSES), message: z.string().optional() }),
  /** operation api: answer with this HTTP status (429 adds Retry-After). */
  z.strictObject({ status: z.number().int().min(400).max(599), message: z.string().optional() }),
  z.strictObject({ disconnect: z.strictObject({ afterBytes: z.number().int().min(0) }) }),
  z.strictObject({ delay: duration }),
  z.strictObject({ lostReply: z.literal(true) }),
  z.strictObject({ refuse: z.literal(true) }),
  z.strictObject({ fail: z.string().min(1) }),
  z.strictObject({ rerun: z.literal(true) }),
]);

/** What a fault rule does when it fires: answer a status, disconnect, delay, lose the reply, refuse, fail processing or rerun it. */
export type FaultAction = z.output<typeof faultActionSchema>;

export const faultRuleSchema = z
  .strictObject({
    match: faultMatchSchema.default({}),
    action: faultActionSchema,
    /** How many times the rule fires; unlimited when absent. */
    times: z.number().int().positive().optional(),
  })
  .superRefine((rule, ctx) => {
    const op = rule.match.operation;
    const problem = actionProblem(rule.action, op);
    if (problem) ctx.addIssue({ code: 'custom', path: ['action'], message: problem });
  });

/** A fault rule as written in config `faults:` or `POST /api/faults`. */
export type FaultRuleInput = z.input<typeof faultRuleSchema>;
/** A validated fault rule. */
export type FaultRule = z.output<typeof faultRuleSchema>;

/** Actions that only make sense for some operations, so a rule cannot silently never fire. */
function actionProblem(action: FaultAction, op: FaultOperation | undefined): string | undefined {
  if ('refuse' in action && op !== 'login') return 'refuse applies to operation "login" only';
  if (('fail' in action || 'rerun' in action) && op !== 'processing')
    return 'fail and rerun apply to operation "processing" only';
  if ('disconnect' in action && op !== undefined && op !== 'write')
    return 'disconnect counts the bytes of an upload: use it with operation "write"';
  if (op === 'login' && !('refuse' in action) && !('delay' in action))
    return 'a login rule takes {"refuse": true} or {"delay": "2s"}';
  const httpStatus = 'status' in action && typeof action.status === 'number';
  if (httpStatus && op !== 'api') return 'an HTTP status number applies to operation "api" only';
  if (op === 'api' && !httpStatus && !('delay' in action))
    return 'an api rule takes {"status": 429} (an HTTP status number, 400-599) or {"delay": "2s"}';
  if (op === 'processing' && !('fail' in action) && !('delay' in action) && !('rerun' in action))
    return 'a processing rule takes {"fail": "message"}, {"delay": "4h"} or {"rerun": true}';
  return undefined;
}
