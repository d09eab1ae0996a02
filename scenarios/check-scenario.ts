import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { YamlProblem } from '../oclc/validate-yaml.ts';
import { validateObject } from '../oclc/validate-yaml.ts';
import { configSchema } from '../simulator/index.ts';
import { crossCheckConfig } from '../simulator/index.ts';
import { parseSftpCommand } from './parse-sftp-command.ts';

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The keys of `given` that are simulator configuration checked by the config schema itself. */
const CONFIG_KEYS = ['institutions', 'worldcat', 'processing', 'pickupDelay'] as const;

/**
 * What the runner reads beyond the scenario schema: `given` as the simulator's configuration
 * (institutions, collections, passwords), the files steps name (a fixture beside the scenario or
 * a generate step's `as` before them), fetchReports after a publish, and `expect.reports[].as`
 * naming an institution with a password. So `scenario validate` passes only what can run.
 */
export function checkScenario(raw: unknown, dir: string): YamlProblem[] {
  if (!isObject(raw)) return [];
  return [...checkGiven(raw['given']), ...checkSteps(list(raw['steps']), dir), ...checkExpect(raw)];
}

function checkGiven(given: unknown): YamlProblem[] {
  if (!isObject(given)) return [];
  const config = Object.fromEntries(CONFIG_KEYS.filter((k) => k in given).map((k) => [k, given[k]]));
  const result = validateObject(config, configSchema, crossCheckConfig);
  if (result.ok) return [];
  return result.found
    .filter((p) => (CONFIG_KEYS as readonly (string | number)[]).includes(p.path[0] ?? ''))
    .map((p) => ({ path: ['given', ...p.path], message: p.message }));
}

function checkSteps(steps: unknown[], dir: string): YamlProblem[] {
  const problems: YamlProblem[] = [];
  const generated = new Set<string>();
  let published = false;
  const needFile = (name: string, path: (string | number)[]): void => {
    if (!generated.has(name) && !existsSync(join(dir, name)))
      problems.push({
        path,
        message: `file "${name}" is neither written by an earlier generate step nor a fixture beside the scenario`,
      });
  };
  steps.forEach((step, i) => {
    if (!isObject(step)) return;
    const body = (key: string): Raw => (isObject(step[key]) ? step[key] : {});
    const as = body('generate')['as'];
    if (typeof as === 'string') generated.add(as);
    list(body('publish')['files']).forEach((file, j) => {
      if (typeof file === 'string') needFile(file, ['steps', i, 'publish', 'files', j]);
    });
    if ('publish' in step) published = true;
    list(body('sftp')['commands']).forEach((text, j) => {
      const command = typeof text === 'string' ? parseSftpCommand(text) : undefined;
      if (command && 'verb' in command && command.verb === 'put')
        needFile(command.local, ['steps', i, 'sftp', 'commands', j]);
    });
    const records = body('writeback')['records'];
    if (typeof records === 'string') needFile(records, ['steps', i, 'writeback', 'records']);
    if ('fetchReports' in step && !published)
      problems.push({
        path: ['steps', i, 'fetchReports'],
        message: 'fetchReports fetches the reports of what was published; put a publish step before it',
      });
  });
  return problems;
}

function checkExpect(raw: Raw): YamlProblem[] {
  const given = isObject(raw['given']) ? raw['given'] : {};
  const withPassword = list(given['institutions'])
    .filter(isObject)
    .filter((i) => typeof i['password'] === 'string')
    .map((i) => String(i['symbol']));
  const expect = isObject(raw['expect']) ? raw['expect'] : {};
  const reports = list(expect['reports']);
  if (reports.length > 0 && withPassword.length === 0)
    return [
      {
        path: ['expect', 'reports'],
        message: 'reports are read over SFTP; give an institution in given a password',
      },
    ];
  return reports.flatMap((r, i) => {
    const as = isObject(r) ? r['as'] : undefined;
    if (typeof as !== 'string' || withPassword.includes(as)) return [];
    return [
      {
        path: ['expect', 'reports', i, 'as'],
        message: `"${as}" is not an institution with a password in given; one of: ${withPassword.join(', ')}`,
      },
    ];
  });
}
