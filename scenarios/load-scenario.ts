import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { onUserPath } from '../oclc/file-system-error.ts';
import { validateYaml } from '../oclc/validate-yaml.ts';
import { checkScenario } from './check-scenario.ts';
import { scenarioSchema, type Scenario } from './scenario-schema.ts';

export interface LoadedScenario {
  file: string;
  dir: string;
  scenario: Scenario;
}

export type ScenarioLoad =
  { ok: true; loaded: LoadedScenario } | { ok: false; file: string; problems: string[] };

/** `.yaml` / `.yml` files under the given paths (files or folders), sorted. */
export function findScenarioFiles(paths: readonly string[]): string[] {
  const found: string[] = [];
  const visit = (path: string): void => {
    const stats = onUserPath({ path, use: 'read', what: 'scenario file or folder' }, () => statSync(path));
    if (stats.isDirectory()) {
      for (const entry of readdirSync(path).sort()) visit(join(path, entry));
    } else if (/\.ya?ml$/.test(path)) found.push(resolve(path));
  };
  for (const path of paths) visit(path);
  return found;
}

/** Reads and validates one scenario file; problems carry the file and line. */
export function loadScenario(file: string): ScenarioLoad {
  const text = onUserPath({ path: file, use: 'read', what: 'scenario file' }, () =>
    readFileSync(file, 'utf8'),
  );
  const result = validateYaml(text, scenarioSchema, (raw) => checkScenario(raw, dirname(file)));
  if (!result.ok) return { ok: false, file, problems: result.problems.map((p) => `${file}: ${p}`) };
  return { ok: true, loaded: { file, dir: dirname(file), scenario: result.data } };
}
