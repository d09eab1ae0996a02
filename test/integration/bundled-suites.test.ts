import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { requireTools } from '../support/require-tool.ts';
import { findScenarioFiles, loadScenario, type LoadedScenario } from '../../scenarios/load-scenario.ts';
import { runScenarios } from '../../scenarios/run-scenarios.ts';
import { prettyResult } from '../../scenarios/reporters.ts';
import { scenarioJsonSchema } from '../../scenarios/scenario-json-schema.ts';

const suites = fileURLToPath(new URL('../../scenarios/suites', import.meta.url));
const loaded = findScenarioFiles([suites]).map((file) => {
  const result = loadScenario(file);
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.loaded;
});

describe('bundled scenario suites', () => {
  it('exist for every behaviour the issue lists', () => {
    expect(loaded.length).toBeGreaterThanOrEqual(20);
  });

  it.each(loaded.map((l): [string, LoadedScenario] => [l.scenario.name, l]))(
    '%s',
    async (_name, scenario) => {
      if (JSON.stringify(scenario.scenario.steps).includes('"openssh"')) requireTools('sftp', 'sshpass');
      const [result] = await runScenarios([scenario]);
      if (!result?.passed) throw new Error(result ? prettyResult(result) : 'no result');
    },
  );
});

describe('scenario.schema.json', () => {
  it('is the current schema (run npm run scenario:schema after changing the language)', () => {
    const committed = JSON.parse(
      readFileSync(new URL('../../scenarios/scenario.schema.json', import.meta.url), 'utf8'),
    ) as unknown;
    expect(committed).toEqual(JSON.parse(JSON.stringify(scenarioJsonSchema())));
  });
});
