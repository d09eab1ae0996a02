import { z } from 'zod';
import { FAULT_OPERATIONS, FAULT_STATUSES } from '../config/fault-rule-schema.ts';
import type { RouteContract } from './route-contract.ts';
import { HostKeySummarySchema } from './host-key-schema.ts';

/**
 * The contract of the fault, host-key and journal-verify routes (issue 14), kept beside the main
 * contract so both can grow without conflicts; `adminRoutes` includes these.
 */

export const FaultMatchSchema = z
  .object({
    operation: z.enum(FAULT_OPERATIONS).optional(),
    path: z.string().optional().meta({
      description: "a glob over the SFTP path (a rename's new path), or the upload name for processing",
    }),
    account: z.string().optional().meta({ description: 'login name, e.g. fx_pul' }),
    nth: z.number().int().positive().optional().meta({ description: 'only the n-th matching call' }),
  })
  .meta({ id: 'FaultMatch', description: 'every field given must match; all optional' });

export const FaultActionSchema = z
  .union([
    z.object({ status: z.enum(FAULT_STATUSES), message: z.string().optional() }),
    z.object({
      status: z
        .number()
        .int()
        .min(400)
        .max(599)
        .meta({ description: 'operation api: the HTTP status answered' }),
      message: z.string().optional(),
    }),
    z.object({ disconnect: z.object({ afterBytes: z.number().int().min(0) }) }),
    z.object({ delay: z.string().meta({ description: 'e.g. 2s; for processing, on the simulator clock' }) }),
    z.object({ lostReply: z.literal(true) }),
    z.object({ refuse: z.literal(true) }),
    z.object({ fail: z.string() }),
    z.object({ rerun: z.literal(true) }),
  ])
  .meta({ id: 'FaultAction' });

export const FaultRuleSchema = z
  .object({
    id: z.string(),
    match: FaultMatchSchema,
    action: FaultActionSchema,
    times: z.number().int().positive().optional().meta({ description: 'uses before the rule is spent' }),
    used: z.number().int().meta({ description: 'how many times the rule fired' }),
  })
  .meta({ id: 'FaultRule' });

export const NearMissSchema = z
  .object({
    entry: z.record(z.string(), z.unknown()),
    differs: z.array(z.string()).meta({ description: 'fields of the match this entry did not meet' }),
  })
  .meta({ id: 'NearMiss' });

const JournalMatchSchema = FaultMatchSchema.extend({
  status: z.union([z.string(), z.number().int()]).optional().meta({
    description: 'ok, or a status such as permission-denied; for operation api the HTTP status, e.g. 429',
  }),
});

export const faultRoutes = {
  addFault: {
    method: 'post',
    path: '/api/faults',
    tags: ['faults'],
    summary: 'Add a fault rule (answers 201 with its id)',
    body: z.object({
      match: FaultMatchSchema.optional(),
      action: FaultActionSchema,
      times: z.number().int().positive().optional(),
    }),
    response: z.object({ id: z.string() }),
    successStatus: 201,
  },
  listFaults: {
    method: 'get',
    path: '/api/faults',
    tags: ['faults'],
    summary: 'Every fault rule with how often it fired',
    response: z.object({ faults: z.array(FaultRuleSchema) }),
  },
  unusedFaults: {
    method: 'get',
    path: '/api/faults/unused',
    tags: ['faults'],
    summary: 'Fault rules that never fired',
    response: z.object({ faults: z.array(FaultRuleSchema) }),
  },
  deleteFault: {
    method: 'delete',
    path: '/api/faults/{id}',
    tags: ['faults'],
    summary: 'Remove one fault rule',
    params: z.object({ id: z.string() }),
    response: z.object({ deleted: z.string() }),
    errors: [404],
  },
  deleteFaults: {
    method: 'delete',
    path: '/api/faults',
    tags: ['faults'],
    summary: 'Remove every fault rule (the configured ones come back on reset)',
    response: z.object({ deleted: z.number().int() }),
  },
  rotateHostKey: {
    method: 'post',
    path: '/api/host-key/rotate',
    tags: ['faults'],
    summary: 'Replace every SFTP host key; clients pinning an old one must refuse to connect',
    body: z.object({}).optional(),
    response: z.object({
      /** The new Ed25519 key's (the one key before RSA and ECDSA were offered). */
      fingerprint: z.string(),
      publicKey: z.string(),
      hostKeys: z.array(HostKeySummarySchema),
    }),
  },
  verifyJournal: {
    method: 'post',
    path: '/api/journal/verify',
    tags: ['simulator'],
    summary: 'Check how often an operation happened; 409 explains the closest entries on a miss',
    body: z.object({
      match: JournalMatchSchema.optional(),
      count: z.number().int().min(0).optional(),
      atLeast: z.number().int().min(0).optional(),
      atMost: z.number().int().min(0).optional(),
    }),
    response: z.object({ matched: z.number().int() }),
    errors: [409],
  },
} as const satisfies Record<string, RouteContract>;
