import { createRequire } from 'node:module';
import { z } from 'zod';
import { DataSyncError } from '../../oclc/error-catalogue.ts';
import { FAULT_OPERATIONS, faultMatchSchema } from '../config/fault-rule-schema.ts';
import { pathMatcher } from '../config/path-matcher.ts';
import type { OperationEntry } from './operation-entry.ts';

const require = createRequire(import.meta.url);

/** Edit distance, required only when a verification misses (not while `serve` starts). */
const distance = (a: string, b: string): number =>
  (require('fastest-levenshtein') as typeof import('fastest-levenshtein')).distance(a, b);

/**
 * The fault match shape, plus the outcome (`ok` or a status such as `permission-denied`), and
 * `same-name` (a name uploaded again that day after its earlier file was processed, D71).
 */
export const journalMatchSchema = faultMatchSchema.extend({
  operation: z.enum([...FAULT_OPERATIONS, 'same-name']).optional(),
  /** For operation api, the HTTP status (429 or "429"). */
  status: z
    .union([z.string().min(1), z.number().int()])
    .transform((v) => String(v))
    .optional(),
});

export const journalExpectationSchema = z
  .strictObject({
    match: journalMatchSchema.default({}),
    count: z.number().int().min(0).optional(),
    atLeast: z.number().int().min(0).optional(),
    atMost: z.number().int().min(0).optional(),
  })
  .refine((e) => e.count !== undefined || e.atLeast !== undefined || e.atMost !== undefined, {
    message: 'give count, atLeast or atMost',
  });

export type JournalMatch = z.output<typeof journalMatchSchema>;
/** What a journal is expected to contain, as a scenario's `expect: journal:` writes it. */
export type JournalExpectation = z.output<typeof journalExpectationSchema>;

export interface NearMiss {
  entry: OperationEntry;
  /** The fields of the match this entry did not meet, e.g. "path". */
  differs: string[];
}

/** Whether the journal holds what was expected: how many entries matched, the near misses and a sentence explaining it. */
export interface Verification {
  ok: boolean;
  matched: number;
  expected: string;
  nearMisses: NearMiss[];
  /** One sentence a person can act on: what was expected, what came closest, and why it missed. */
  explanation: string;
}

const FIELDS = ['operation', 'path', 'account', 'status'] as const;

export function parseJournalExpectation(input: unknown): JournalExpectation {
  const parsed = journalExpectationSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'body'}: ${issue.message}`)
    .join('; ');
  throw new DataSyncError('JOURNAL_EXPECTATION_INVALID', { problems });
}

/** Counts the entries that match, checks the count, and explains a miss by its closest entries. */
export function verifyJournal(
  entries: readonly OperationEntry[],
  expectation: JournalExpectation,
): Verification {
  const { match } = expectation;
  const matchesPath = match.path ? pathMatcher(match.path) : undefined;
  const differing = (entry: OperationEntry): string[] =>
    FIELDS.filter((field) => {
      if (field === 'path') return matchesPath !== undefined && !matchesPath(entry.path);
      const wanted = match[field];
      if (wanted === undefined) return false;
      const actual = field === 'account' ? (entry.account ?? '') : entry[field];
      return wanted.toLowerCase() !== actual.toLowerCase();
    });
  const scored = entries.map((entry) => ({ entry, differs: differing(entry) }));
  const hits = scored.filter((s) => s.differs.length === 0);
  const matched = hits.length;
  const ok =
    (expectation.count === undefined || matched === expectation.count) &&
    (expectation.atLeast === undefined || matched >= expectation.atLeast) &&
    (expectation.atMost === undefined || matched <= expectation.atMost);
  const expected = `${quantity(expectation)} ${describeMatch(match)}`;
  // Too many: the matches themselves explain it; other entries are beside the point.
  const tooMany = !ok && matched > (expectation.count ?? expectation.atMost ?? Infinity);
  const nearMisses = ok || tooMany ? [] : closestMisses(scored, match);
  let explanation = `found ${matched} ${describeMatch(match)}`;
  if (tooMany) {
    const shown = hits.slice(-3).map((s) => describeMiss({ entry: s.entry, differs: [] }));
    explanation = `expected ${expected}, found ${matched}${matched > 3 ? ' (the last 3 shown)' : ''}: ${shown.join('; ')}`;
  } else if (!ok) {
    explanation = `expected ${expected}, found ${matched}; ${
      nearMisses.length > 0
        ? `closest: ${nearMisses.map(describeMiss).join('; ')}`
        : 'the journal holds no operation close to it'
    }`;
  }
  return { ok, matched, expected, nearMisses, explanation };
}

/**
 * The entries closest to the expectation. A near miss has something in common with it: it meets
 * at least one of the fields the expectation gives. An entry that differs in all of them (the
 * `realpath .` and directory listings every session makes, when a rename was expected) is noise.
 */
function closestMisses(scored: readonly NearMiss[], match: JournalMatch): NearMiss[] {
  const given = FIELDS.filter((field) => match[field] !== undefined).length;
  const misses = scored.filter((s) => s.differs.length > 0 && s.differs.length < given);
  const closest = Math.min(...misses.map((s) => weight(s.differs)));
  return misses
    .filter((s) => weight(s.differs) === closest)
    .sort(
      (a, b) =>
        distance(a.entry.path, match.path ?? '') - distance(b.entry.path, match.path ?? '') ||
        b.entry.id - a.entry.id,
    )
    .slice(0, 3);
}

/** Another operation is further off than another path or outcome of the same operation. */
function weight(differs: readonly string[]): number {
  return differs.reduce((sum, field) => sum + (field === 'operation' ? 4 : field === 'account' ? 2 : 1), 0);
}

function quantity(e: JournalExpectation): string {
  if (e.count !== undefined) return `exactly ${e.count}`;
  if (e.atLeast !== undefined && e.atMost !== undefined) return `${e.atLeast} to ${e.atMost}`;
  return e.atLeast !== undefined ? `at least ${e.atLeast}` : `at most ${e.atMost ?? 0}`;
}

function describeMatch(match: JournalMatch): string {
  const parts = [match.operation ?? 'operation'];
  if (match.path) parts.push(`${isRename(match.operation) ? 'to' : 'of'} ${match.path}`);
  if (match.account) parts.push(`by ${match.account}`);
  if (match.status) parts.push(`answered ${match.status}`);
  return parts.join(' ');
}

function describeMiss({ entry, differs }: NearMiss): string {
  const what = `${entry.operation}${entry.path ? ` ${isRename(entry.operation) ? 'to' : 'of'} ${entry.path}` : ''}${
    entry.account ? ` by ${entry.account}` : ''
  }`;
  const outcome =
    entry.status === 'ok'
      ? 'ok'
      : `${entry.status === 'permission-denied' ? 'refused' : entry.status}: ${entry.message ?? ''}`.trim();
  if (differs.length === 0) return `${what}, ${outcome}`;
  return `${what} (${differs.join(' and ')} differ${differs.length === 1 ? 's' : ''}), ${outcome}`;
}

function isRename(operation: string | undefined): boolean {
  return operation === 'rename' || operation === 'posix-rename';
}
