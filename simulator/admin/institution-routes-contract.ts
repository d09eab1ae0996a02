import { z } from 'zod';
import { BLOCKABLE_SEVERITIES } from '../../oclc/datasync/collection-settings.ts';
import {
  OUTPUT_ENCODINGS,
  OUTPUT_FORMATS,
  OUTPUT_FREQUENCIES,
  OUTPUT_KINDS,
} from '../../oclc/datasync/output-settings.ts';
import type { RouteContract } from './route-contract.ts';

/** The contract of one institution's settings (issue 24), beside the main contract. */

const subfields = z.record(z.string(), z.string());

export const CollectionSettingsSchema = z
  .object({
    id: z.string(),
    type: z.enum(['bib', 'lhr', 'delete-holdings', 'delete-lhr']),
    default: z.boolean(),
    ocnField: z.string().meta({ description: 'where the OCN is read: 035, 001, any, none, 004 or 014' }),
    lsnField: z.array(z.string()),
    output: z
      .object({
        enabled: z.boolean(),
        format: z.enum(OUTPUT_FORMATS),
        encoding: z.enum(OUTPUT_ENCODINGS),
        frequency: z.enum(OUTPUT_FREQUENCIES),
        include: z.array(z.enum(OUTPUT_KINDS)),
        lsnField: z.string(),
      })
      .nullable()
      .meta({ description: 'record output; null when the collection has none (OCLC’s default)' }),
    validation: z.object({
      block: z
        .array(z.enum(BLOCKABLE_SEVERITIES))
        .meta({ description: 'validation severities that keep a bib record out of WorldCat' }),
    }),
    holdings: z.enum(['set', 'none']),
    lhr: z.object({
      translation: z
        .array(z.object({ match: subfields, set: subfields }))
        .meta({ description: 'the 852 translation table; empty: the 852 as sent' }),
    }),
  })
  .meta({ id: 'CollectionSettings' });

export const institutionRoutes = {
  getInstitution: {
    method: 'get',
    path: '/api/institutions/{symbol}',
    tags: ['simulator'],
    summary: "One institution's accounts and its collections with every setting processing uses",
    params: z.object({
      symbol: z.string().meta({
        description:
          'institution symbol as OCLC spells it (AB@, URL-encoded) or as in names (AB_64), any case',
        example: 'PUL',
      }),
    }),
    response: z.object({
      symbol: z.string(),
      encodedSymbol: z.string(),
      accounts: z.object({ current: z.string(), legacy: z.string() }),
      uploadsFor: z.array(z.string()),
      collections: z.array(CollectionSettingsSchema),
    }),
    errors: [404],
  },
} as const satisfies Record<string, RouteContract>;
