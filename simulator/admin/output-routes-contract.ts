import { z } from 'zod';
import { marcInJsonSchema } from '../../oclc/marc/marc-in-json.ts';
import type { RouteContract } from './route-contract.ts';

/**
 * The contract of record output and WorldCat record routes (issue 24), beside the main contract
 * like the fault routes; `adminRoutes` includes these.
 */

const ocnParam = z.object({
  ocn: z.string().meta({ description: 'an OCLC number: digits, optionally ocm/ocn/on or (OCoLC)' }),
});

export const WorldCatRecordSchema = z
  .object({
    ocn: z
      .string()
      .meta({ description: 'the current number (a merged number answers with the record it went into)' }),
    record: marcInJsonSchema
      .nullable()
      .meta({ description: 'null when WorldCat knows the number but no record' }),
    updatedAt: z.string().nullable(),
  })
  .meta({ id: 'WorldCatRecord' });

export const OutputDeliverySchema = z
  .object({
    symbol: z.string(),
    collectionId: z.string(),
    deliveredAt: z.string(),
    files: z
      .array(z.string())
      .meta({ description: 'SFTP paths of the files written (none when nothing changed)' }),
    records: z.number().int(),
    byKind: z.object({
      new: z.number().int(),
      updates: z.number().int(),
      deletes: z.number().int(),
      merges: z.number().int(),
    }),
  })
  .meta({ id: 'OutputDelivery' });

export const OutputFileSchema = z
  .object({
    path: z.string().meta({ description: 'where the account sees it (ends in .zip once zipped)' }),
    symbol: z.string(),
    collectionId: z.string(),
    kind: z.enum(['new', 'updates', 'deletes', 'merges']),
    records: z.number().int(),
    deliveredAt: z.string(),
    zippedAt: z.string().nullable(),
    removedAt: z.string().nullable(),
  })
  .meta({ id: 'OutputFile' });

export const outputRoutes = {
  getWorldCatRecord: {
    method: 'get',
    path: '/api/worldcat/records/{ocn}',
    tags: ['worldcat'],
    summary: 'A WorldCat record as MARC-in-JSON, following merges',
    params: ocnParam,
    response: WorldCatRecordSchema,
    errors: [404],
  },
  editWorldCatRecord: {
    method: 'patch',
    path: '/api/worldcat/records/{ocn}',
    tags: ['worldcat'],
    summary:
      "Edit a WorldCat record: the body (MARC-in-JSON) becomes the record; 001, 003, 019 and the (OCoLC) 035 stay WorldCat's. Holders get it in their next updates output",
    params: ocnParam,
    body: marcInJsonSchema,
    response: WorldCatRecordSchema,
    errors: [409],
  },
  mergeWorldCatRecords: {
    method: 'post',
    path: '/api/worldcat/merge',
    tags: ['worldcat'],
    summary:
      'Merge record `from` into `to`: holdings, LHRs and LBDs follow, 019 gains `from`, later files matching `from` resolve to `to`; holders get a merges output file',
    body: z.object({
      from: z.union([z.string(), z.number()]).transform(String),
      to: z.union([z.string(), z.number()]).transform(String),
    }),
    response: z.object({ from: z.string(), to: z.string(), holders: z.array(z.string()) }),
    errors: [409],
  },
  deliverOutput: {
    method: 'post',
    path: '/api/output/deliver',
    tags: ['output'],
    summary:
      'Deliver record output now for every collection with output on, or the ones named; answers each delivery and the files it wrote',
    body: z
      .object({
        symbol: z.string().optional().meta({ description: 'only this institution' }),
        collectionId: z.string().optional().meta({ description: 'only this collection' }),
      })
      .optional(),
    response: z.object({ deliveries: z.array(OutputDeliverySchema) }),
    errors: [404],
  },
  listOutputFiles: {
    method: 'get',
    path: '/api/output/files',
    tags: ['output'],
    summary: 'Output files delivered and still on the server (after deliveries in progress finish)',
    query: z.object({
      symbol: z.string().optional(),
      includeRemoved: z
        .enum(['true', 'false'])
        .optional()
        .transform((v) => v === 'true')
        .meta({ description: 'also files removed after 90 days' }),
    }),
    response: z.object({ files: z.array(OutputFileSchema) }),
  },
} as const satisfies Record<string, RouteContract>;
