import { isNode, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { editDistance } from './edit-distance.ts';

export interface YamlProblem {
  path: (string | number)[];
  message: string;
}

export type YamlValidation<T> = { ok: true; data: T; raw: unknown } | { ok: false; problems: string[] };

/**
 * Parses YAML text and validates it with a zod schema plus optional cross-field checks on the
 * raw document, reporting every problem at once as `line N: path: message`. Pure: text in, result
 * out. Shared by the simulator's config and the client's publishing profile.
 */
export function validateYaml<S extends z.ZodType>(
  text: string,
  schema: S,
  crossCheck: (raw: unknown) => YamlProblem[] = () => [],
): YamlValidation<z.output<S>> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map(
        (e) => `line ${lineCounter.linePos(e.pos[0]).line}: ${e.message.split('\n')[0] ?? e.message}`,
      ),
    };
  }
  const raw: unknown = doc.toJS() ?? {};
  const result = validateObject(raw, schema, crossCheck);
  if (result.ok) return { ok: true, data: result.data, raw };
  const lineOf = (path: (string | number)[]): number | undefined => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node: unknown = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  const located = result.found.map((p) => ({ line: lineOf(p.path), ...p }));
  located.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return {
    ok: false,
    problems: located.map(
      (p) => `${p.line === undefined ? '' : `line ${p.line}: `}${where(p.path)}: ${p.message}`,
    ),
  };
}

/** The same checks for a value given as an object (library users, tests). */
export function validateObject<S extends z.ZodType>(
  raw: unknown,
  schema: S,
  crossCheck: (raw: unknown) => YamlProblem[] = () => [],
): { ok: true; data: z.output<S> } | { ok: false; found: YamlProblem[]; problems: string[] } {
  const result = schema.safeParse(raw);
  const found: YamlProblem[] = [
    ...(result.success
      ? []
      : result.error.issues.flatMap(matchedBranch).flatMap((i) => problemsOf(i, schema))),
    ...crossCheck(raw),
  ];
  if (result.success && found.length === 0) return { ok: true, data: result.data };
  return { ok: false, found, problems: found.map((p) => `${where(p.path)}: ${p.message}`) };
}

/**
 * A union reports only "Invalid input". When exactly one branch matched the value's shape (none
 * of its problems is about the value as a whole: an unknown or missing key), that branch is what
 * the user meant, so its own problems are reported, at their full paths.
 */
function matchedBranch(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== 'invalid_union') return [issue];
  const matched = issue.errors.filter(
    (branch) =>
      branch.length > 0 &&
      branch.every(
        (i) => i.path.length > 0 && !(i.code === 'invalid_type' && /received undefined/.test(i.message)),
      ),
  );
  const [only] = matched;
  if (matched.length !== 1 || !only) return [issue];
  return only.flatMap((i) => matchedBranch({ ...i, path: [...issue.path, ...i.path] }));
}

function pathOf(issue: z.core.$ZodIssue): (string | number)[] {
  return issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
}

function where(path: readonly (string | number)[]): string {
  return path.length > 0 ? path.join('.') : '(top level)';
}

/** An unknown key is reported at its own path (its own line), with the nearest valid key. */
function problemsOf(issue: z.core.$ZodIssue, schema: z.ZodType): YamlProblem[] {
  if (issue.code !== 'unrecognized_keys') return [{ path: pathOf(issue), message: issue.message }];
  const known = knownKeys(schema, pathOf(issue));
  return issue.keys.map((key) => ({
    path: [...pathOf(issue), key],
    message: `unknown key${suggestKey(key, known)}`,
  }));
}

/** `; did you mean "port"?` for a near miss, else the keys that are valid there. */
export function suggestKey(key: string, known: readonly string[]): string {
  if (known.length === 0) return '';
  const scored = known
    .map((k) => ({ k, d: editDistance(key.toLowerCase(), k.toLowerCase()) }))
    .sort((a, b) => a.d - b.d);
  const best = scored[0];
  if (best && best.d <= Math.max(2, Math.floor(key.length / 3))) return `; did you mean "${best.k}"?`;
  return `; the keys here are ${known.join(', ')}`;
}

type JsonNode = { properties?: Record<string, JsonNode>; items?: JsonNode; anyOf?: JsonNode[] };

/** The keys the schema accepts at a path, read from its JSON Schema (input shape). */
function knownKeys(schema: z.ZodType, path: readonly (string | number)[]): string[] {
  let nodes: JsonNode[];
  try {
    nodes = [z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonNode];
  } catch {
    return [];
  }
  const spread = (list: JsonNode[]): JsonNode[] => list.flatMap((n) => [n, ...spread(n.anyOf ?? [])]);
  for (const step of path) {
    nodes = spread(nodes).flatMap((n) => {
      const next = typeof step === 'number' ? n.items : n.properties?.[step];
      return next ? [next] : [];
    });
  }
  return [...new Set(spread(nodes).flatMap((n) => Object.keys(n.properties ?? {})))];
}
