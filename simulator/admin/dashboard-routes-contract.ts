import { z } from 'zod';
import { wholeNumber } from './whole-number.ts';
import { normalizeOcn } from '../../oclc/datasync/ocn.ts';
import type { RouteContract } from './route-contract.ts';

/**
 * Routes the dashboard needs beyond the core API (issue 28): a file's timeline, WorldCat's counts
 * over time and who holds an OCN. Kept beside the main contract; `adminRoutes` includes these.
 */

const epochMs = z.number().int().meta({ description: 'milliseconds since 1970-01-01T00:00:00Z' });

export const FileStageSchema = z
  .object({
    state: z.string().meta({ description: 'the state the file reached (see UploadState)' }),
    event: z.string().meta({ description: 'the event that told it, e.g. file:queued' }),
    at: epochMs.meta({ description: "when, on the simulator's clock (a manual clock's time in training)" }),
    realAt: epochMs.meta({ description: 'when, on the wall clock' }),
  })
  .meta({ id: 'FileStage' });

const FileRefSchema = z
  .object({ id: z.number().int(), name: z.string().nullable() })
  .meta({ id: 'FileRef', description: 'an upload by id, with its name while the upload is remembered' });

export const WorldCatPointSchema = z
  .object({
    at: epochMs.meta({ description: "the commit's time on the simulator's clock" }),
    symbol: z.string(),
    holdings: z.number().int(),
    lhrs: z.number().int(),
    fileId: z.number().int().nullable().meta({ description: 'the file whose commit this follows' }),
  })
  .meta({ id: 'WorldCatPoint' });

export const OcnHolderSchema = z
  .object({
    symbol: z.string(),
    holding: z
      .object({ setBy: FileRefSchema.nullable().meta({ description: 'null: set without a file' }) })
      .nullable()
      .meta({ description: "the institution's WorldCat holding, if it has one" }),
    lhrs: z.array(
      z.object({ lsn: z.string(), holdingLibrary: z.string(), callNumber: z.string(), setBy: FileRefSchema }),
    ),
    lsns: z.array(z.string()).meta({ description: 'local record numbers linked to the OCN (the LBD)' }),
  })
  .meta({ id: 'OcnHolder' });

export const dashboardRoutes = {
  fileTimeline: {
    method: 'get',
    path: '/api/files/{id}/timeline',
    tags: ['files'],
    summary: 'Every stage an upload reached, with its simulated and real time',
    params: z.object({ id: wholeNumber({ min: 1 }).meta({ description: 'the upload id' }) }),
    response: z.object({ id: z.number().int(), now: epochMs, stages: z.array(FileStageSchema) }),
    errors: [404],
  },
  worldcatHistory: {
    method: 'get',
    path: '/api/worldcat/history',
    tags: ['worldcat'],
    summary: "Each institution's holdings and LHR counts after every commit, over simulated time",
    description:
      'One point per institution a file changed, recorded in the commit itself; each institution ends ' +
      'with a point at the simulator clock\'s "now" carrying its current counts.',
    query: z.object({
      symbol: z.string().optional().meta({ description: 'only this institution', example: 'PUL' }),
      limit: wholeNumber({ min: 1, max: 10_000 })
        .optional()
        .meta({ description: 'newest points to return (default 1000)' }),
    }),
    response: z.object({ points: z.array(WorldCatPointSchema) }),
    errors: [404],
  },
  ocnHolders: {
    method: 'get',
    path: '/api/worldcat/ocns/{ocn}',
    tags: ['worldcat'],
    summary:
      'Which institutions hold an OCN and why: the holding, LHRs and local numbers, each with its file',
    params: z.object({
      ocn: z
        .string()
        .refine((text) => normalizeOcn(text) !== undefined, {
          error: (issue) =>
            `${JSON.stringify(issue.input)} is not an OCN; give its digits, e.g. 1234567 or (OCoLC)ocm01234567`,
        })
        .meta({ description: 'an OCN, with or without (OCoLC), ocm or ocn', example: '1234567' }),
    }),
    response: z.object({
      ocn: z.string().meta({ description: 'the OCN as WorldCat writes it (digits, no leading zeros)' }),
      holders: z.array(OcnHolderSchema),
      created: z
        .object({ symbol: z.string(), lsn: z.string().nullable(), by: FileRefSchema.nullable() })
        .nullable()
        .meta({ description: 'the institution whose file created the record in the simulated WorldCat' }),
    }),
  },
} as const satisfies Record<string, RouteContract>;
