import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { LineCounter, parseDocument, isNode } from 'yaml';
import type { z } from 'zod';
import { DataSyncError } from '../../oclc/error-catalogue.ts';
import { configSchema, type ConfigInput, type ParsedConfig } from './config-schema.ts';
import { crossCheckConfig, type ConfigProblem } from './cross-check-config.ts';
import { makeInstitution, type SimulatorConfig } from './simulator-config.ts';

export interface ConfigOverrides {
  dataDir?: string;
  sftpPort?: number;
  adminPort?: number;
}

export interface LoadConfigOptions {
  /** Environment for `passwordEnv`; passed in so tests never touch process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  overrides?: ConfigOverrides;
  /** Base for a relative dataDir; defaults to the current directory. */
  baseDir?: string;
}

export function loadConfigFile(file: string, options: LoadConfigOptions = {}): SimulatorConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DataSyncError('CONFIG_UNREADABLE', { source: file, reason });
  }
  return parseConfigText(text, file, options);
}

/** Parses and validates YAML config text; every problem is reported at once, with its line. */
export function parseConfigText(
  text: string,
  source: string,
  options: LoadConfigOptions = {},
): SimulatorConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => {
      const pos = lineCounter.linePos(e.pos[0]);
      return `line ${pos.line}: ${e.message.split('\n')[0] ?? e.message}`;
    });
    throw invalid(source, problems);
  }
  const raw: unknown = doc.toJS() ?? {};
  const result = configSchema.safeParse(raw);
  const problems = problemsOf(raw, result);
  if (problems.length > 0 || !result.success) {
    const located = problems.map((p) => ({ line: lineOf(p.path, doc, lineCounter), ...p }));
    located.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    throw invalid(
      source,
      located.map((p) => `${p.line === undefined ? '' : `line ${p.line}: `}${where(p.path)}: ${p.message}`),
    );
  }
  return finish(result.data, source, options);
}

/** Validates a config given as an object (library users, tests); same rules as the YAML file. */
export function defineConfig(input: ConfigInput, options: LoadConfigOptions = {}): SimulatorConfig {
  const result = configSchema.safeParse(input);
  const problems = problemsOf(input, result);
  if (problems.length > 0 || !result.success) {
    throw invalid(
      '(object)',
      problems.map((p) => `${where(p.path)}: ${p.message}`),
    );
  }
  return finish(result.data, '(object)', options);
}

function finish(parsed: ParsedConfig, source: string, options: LoadConfigOptions): SimulatorConfig {
  const env = options.env ?? {};
  const problems: string[] = [];
  const institutions = parsed.institutions.map((inst) => {
    let password = inst.password;
    if (inst.passwordEnv !== undefined) {
      password = env[inst.passwordEnv];
      if (!password) {
        problems.push(
          `institutions ${inst.symbol}: passwordEnv ${inst.passwordEnv} is not set in the environment`,
        );
      }
    }
    return makeInstitution({ ...inst, password });
  });
  if (problems.length > 0) throw invalid(source, problems);

  const overrides = options.overrides ?? {};
  const dataDir = overrides.dataDir ?? parsed.dataDir;
  const config: SimulatorConfig = {
    dataDir: isAbsolute(dataDir) ? dataDir : resolve(options.baseDir ?? process.cwd(), dataDir),
    sftp: { ...parsed.sftp, port: overrides.sftpPort ?? parsed.sftp.port },
    admin: { ...parsed.admin, port: overrides.adminPort ?? parsed.admin.port },
    fileNames: parsed.fileNames,
    pickupDelayMs: parsed.pickupDelay,
    processing: parsed.processing,
    clock: parsed.clock,
    worldcat: {
      ...parsed.worldcat,
      records: parsed.worldcat.records.map((file) =>
        isAbsolute(file) ? file : resolve(options.baseDir ?? process.cwd(), file),
      ),
    },
    institutions,
  };
  return deepFreeze(config);
}

function problemsOf(raw: unknown, result: ReturnType<typeof configSchema.safeParse>): ConfigProblem[] {
  const schemaProblems = result.success
    ? []
    : result.error.issues.map((i) => ({ path: pathOf(i), message: issueMessage(i) }));
  return [...schemaProblems, ...crossCheckConfig(raw)];
}

function pathOf(issue: z.core.$ZodIssue): (string | number)[] {
  return issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
}

function where(path: readonly (string | number)[]): string {
  return path.length > 0 ? path.join('.') : '(top level)';
}

/** The line of the deepest node on the path that exists (a missing key has no position). */
function lineOf(
  path: (string | number)[],
  doc: ReturnType<typeof parseDocument>,
  lineCounter: LineCounter,
): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node: unknown = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return undefined;
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown key(s) ${issue.keys.join(', ')}`;
  return issue.message;
}

function invalid(source: string, problems: readonly string[]): DataSyncError {
  const list = problems.map((p) => `\n  - ${p}`).join('');
  return new DataSyncError('CONFIG_INVALID', { source, problems: `${problems.length} problem(s)${list}` });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
