import { z } from 'zod';
import type { RouteContract } from './route-contract.ts';
import { wholeNumber } from './whole-number.ts';

/** The contract of the notification outbox (issue 24), beside the main contract. */

export const OutboxMessageSchema = z
  .object({
    id: z.number().int().meta({ description: 'the journal id (the event stream id of its outbox:* event)' }),
    at: z.string().meta({ description: 'when OCLC would have sent it (simulator clock)' }),
    kind: z.enum(['reports-ready', 'file-failed', 'output-delivered']),
    to: z.array(z.string()).meta({ description: 'institution symbols whose contacts would receive it' }),
    subject: z.string(),
    body: z.string(),
    fileId: z.number().int().optional(),
    files: z.array(z.string()).meta({ description: 'report names or SFTP paths it points at' }),
  })
  .meta({ id: 'OutboxMessage' });

export const outboxRoutes = {
  outbox: {
    method: 'get',
    path: '/api/outbox',
    tags: ['simulator'],
    summary: 'The e-mails OCLC would have sent (reports ready, file failed, output delivered), oldest first',
    query: z.object({
      symbol: z.string().optional().meta({ description: 'only messages to this institution, any case' }),
      kind: z.enum(['reports-ready', 'file-failed', 'output-delivered']).optional(),
      limit: wholeNumber({ min: 1 })
        .optional()
        .meta({ description: 'newest messages to return (default 500)' }),
    }),
    response: z.object({ messages: z.array(OutboxMessageSchema) }),
  },
} as const satisfies Record<string, RouteContract>;
