import { z } from 'zod';
import { REPORT_KINDS } from '../oclc/reports/parse-report.ts';
import { UPLOAD_STATES, faultRuleSchema, journalExpectationSchema } from '../simulator/index.ts';
import { parseSftpCommand } from './parse-sftp-command.ts';

const generate = z.strictObject({
  kind: z.enum(['bib', 'lhr']).default('bib'),
  count: z.number().int().positive(),
  seed: z.number().int().nonnegative().default(1),
  defects: z.record(z.string(), z.number().int().nonnegative()).default({}),
  copiesPerOcn: z.number().int().positive().optional(),
  symbol: z.string().optional(),
  /** The file name it is written under, in the scenario's work folder. */
  as: z.string().regex(/^[^/]+$/, 'a plain file name'),
});

const failure = z.strictObject({ fails: z.boolean().default(false), message: z.string().optional() });

const profile = z.strictObject({
  symbol: z.string(),
  collectionId: z.string().regex(/^\d{7}$/, 'collection IDs are 7 digits; quote them'),
  kind: z.enum(['bib', 'lhr']).default('bib'),
  label: z.string().default('bibs'),
  user: z.string().optional(),
  password: z.string(),
  maxRecordsPerFile: z.number().int().positive().optional(),
  maxFileSize: z.number().int().positive().optional(),
});

/** A WorldCat Metadata API call: OCLC's path under /worldcat, with a WSKey from `given`. */
const apiCallSchema = z.strictObject({
  /** The WSKey (default: the first one `given` configures); its secret is read from `given`. */
  key: z.string().optional(),
  method: z.enum(['GET', 'POST', 'PUT', 'DELETE', 'get', 'post', 'put', 'delete']).default('GET'),
  path: z
    .string()
    .regex(/^\/worldcat\//, 'an api path starts /worldcat/, as after https://metadata.api.oclc.org'),
  /** A MARC record as text (MARCXML when it starts with <), or JSON. */
  body: z.unknown().optional(),
  contentType: z.string().optional(),
  expect: z
    .strictObject({
      status: z.number().int().optional(),
      /** Fields the answer must have (objects by key, arrays element by element). */
      body: z.unknown().optional(),
    })
    .optional(),
});

const STEP_TYPES = [
  'generate',
  'publish',
  'process',
  'sftp',
  'openssh',
  'advanceClock',
  'fetchReports',
  'restart',
  'writeback',
  'api',
] as const;

/** Names the step type that is wrong, with the allowed ones, instead of zod's "Invalid input". */
function stepProblem(input: unknown): string | undefined {
  const keys = typeof input === 'object' && input !== null ? Object.keys(input) : [];
  const allowed = `a step is one of: ${STEP_TYPES.join(', ')}`;
  const unknown = keys.filter((k) => !(STEP_TYPES as readonly string[]).includes(k));
  if (unknown.length > 0) return `unknown step type "${unknown.join('", "')}"; ${allowed}`;
  if (keys.length !== 1)
    return `a step has exactly one type, got ${keys.length === 0 ? 'none' : keys.join(', ')}; ${allowed}`;
  return undefined;
}

const step = z.union(
  [
    z.strictObject({ generate }),
    z.strictObject({
      publish: z.strictObject({
        profile,
        files: z.array(z.string()).min(1, 'name at least one file (a fixture, or a generate step\'s "as")'),
        jobId: z.string().optional(),
        expect: failure.extend({ parts: z.number().int().optional() }).optional(),
      }),
    }),
    z.strictObject({ process: z.strictObject({}).default({}) }),
    z.strictObject({
      sftp: z.strictObject({
        user: z.string(),
        password: z.string(),
        commands: z
          .array(
            z.string().superRefine((text, ctx) => {
              const parsed = parseSftpCommand(text);
              if ('error' in parsed) ctx.addIssue({ code: 'custom', message: parsed.error });
            }),
          )
          .min(1),
        expect: failure.optional(),
      }),
    }),
    z.strictObject({
      openssh: z.strictObject({
        user: z.string(),
        password: z.string(),
        batch: z.array(z.string()).min(1),
        expect: z
          .strictObject({
            exitCode: z.number().int().optional(),
            stderr: z.string().optional(),
            stdout: z.string().optional(),
          })
          .optional(),
      }),
    }),
    z.strictObject({ advanceClock: z.string() }),
    z.strictObject({ api: apiCallSchema }),
    /** A fault rule, the shape of POST /api/faults. */
    z.strictObject({ fault: faultRuleSchema }),
    z.strictObject({ fetchReports: z.strictObject({}).default({}) }),
    z.strictObject({ restart: z.strictObject({}).default({}) }),
    z.strictObject({
      writeback: z.strictObject({
        records: z.string(),
        expect: z
          .strictObject({
            added: z.number().optional(),
            replaced: z.number().optional(),
            unchanged: z.number().optional(),
          })
          .optional(),
      }),
    }),
  ],
  { error: (issue) => stepProblem(issue.input) },
);

const reportExpectation = z.strictObject({
  /** The institution whose reports folder is read (default: the first one in given). */
  as: z.string().optional(),
  kind: z.enum(REPORT_KINDS),
  /** Only reports whose name contains this (e.g. the uploaded file's label). */
  file: z.string().optional(),
  count: z.number().int().nonnegative().optional(),
  rows: z.array(z.record(z.string(), z.string())).optional(),
});

export const scenarioSchema = z.strictObject({
  name: z.string().min(1),
  tags: z.array(z.string()).default([]),
  given: z.strictObject({
    institutions: z.array(z.unknown()).min(1),
    worldcat: z.unknown().optional(),
    processing: z.string().default('manual'),
    fileNames: z.enum(['strict', 'faithful']).default('strict'),
    pickupDelay: z.string().default('0s'),
    clock: z.enum(['system', 'manual']).default('manual'),
  }),
  steps: z.array(step).min(1),
  expect: z
    .strictObject({
      holdings: z
        .record(
          z.string(),
          z.strictObject({
            includes: z.array(z.string()).optional(),
            excludes: z.array(z.string()).optional(),
            count: z.number().int().optional(),
          }),
        )
        .optional(),
      lhrs: z
        .record(
          z.string(),
          z.strictObject({
            ocn: z.string().optional(),
            count: z.number().int().optional(),
            lsns: z.array(z.string()).optional(),
          }),
        )
        .optional(),
      reports: z.array(reportExpectation).optional(),
      /** Metadata API calls made at the end, each with the status and answer fields it must have. */
      api: z.array(apiCallSchema).optional(),
      /** POST /api/journal/verify expectations: a match and count, atLeast or atMost. */
      journal: z.array(journalExpectationSchema).optional(),
      files: z
        .array(
          z.strictObject({
            name: z.string().optional(),
            state: z.enum(UPLOAD_STATES),
            count: z.number().int().optional(),
          }),
        )
        .optional(),
    })
    .default({}),
});

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioStep = Scenario['steps'][number];
