import { Command, Option } from 'commander';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataSyncError, EXIT_CODES } from '../oclc/error-catalogue.ts';
// Types only at the top: the runner (and the simulator it starts) loads when a command runs.
import type { LoadedScenario } from '../scenarios/index.ts';
import { confirmTargetReset } from './confirm-target-reset.ts';
import { removeUnlessFinished, stopOnSignal } from './interrupts.ts';
import { outputFile } from './user-paths.ts';

/**
 * The bundled suites: `scenarios/suites/` of the package, found from the sources (cli/) or from
 * the compiled build (dist/cli/), in the checkout and in an installed package alike.
 */
const BUNDLED =
  [new URL('../scenarios/suites/', import.meta.url), new URL('../../scenarios/suites/', import.meta.url)]
    .map((url) => fileURLToPath(url))
    .find((path) => existsSync(path)) ?? fileURLToPath(new URL('../../scenarios/suites/', import.meta.url));

interface RunFlags {
  target?: string;
  reporter: 'pretty' | 'json' | 'junit';
  junitFile?: string;
  grep?: string;
  tag?: string;
  bail?: boolean;
  yes?: boolean;
}

export function scenarioCommand(): Command {
  const scenario = new Command('scenario')
    .summary('run, check and list YAML scenarios')
    .description('QA scenarios: YAML files that drive the simulator end to end and check what happened.');
  scenario
    .command('run')
    .summary('run scenarios and report the results')
    .description(
      'Run scenario files (or every .yaml under the folders given); each gets a fresh in-process simulator unless --target points at a running one.',
    )
    .argument('[paths...]', 'scenario files or folders (default: the bundled suites)')
    .option(
      '--target <url>',
      'run against a running simulator through its admin API (its state is reset first)',
    )
    .option('-y, --yes', 'with --target: reset the running simulator without asking (for CI)')
    .addOption(
      new Option('--reporter <name>', 'output format').choices(['pretty', 'json', 'junit']).default('pretty'),
    )
    .option('--junit-file <file>', 'also write JUnit XML to this file')
    .option('--grep <text>', 'only scenarios whose name contains this')
    .option('--tag <tag>', 'only scenarios with this tag')
    .option('--bail', 'stop at the first failing scenario')
    .addHelpText(
      'after',
      '\nExamples:\n  $ datasync-sim scenario run\n  $ datasync-sim scenario run my-suites/ --tag lhr --junit-file junit.xml\n  $ datasync-sim scenario run --target http://127.0.0.1:8080 scenarios/suites/demo-vanishing-upload.yaml\n    (against npm start; asks before resetting it, --yes skips the question)\n\nExit codes: 0 every scenario passed, 1 some failed, 2 a scenario file is invalid or --target needs --yes.\n',
    )
    .action(async (paths: string[], flags: RunFlags) => {
      if (flags.junitFile) outputFile(flags.junitFile, 'JUnit file');
      if (flags.target) targetUrl(flags.target);
      const loaded = await loadAll(paths);
      if (flags.target && !(await confirmTargetReset(flags.target, { yes: flags.yes === true }))) return;
      const { junitXml, prettyResult, prettySummary, runScenarios, selectScenarios } =
        await import('../scenarios/index.ts');
      const selected = selectScenarios(loaded, flags);
      // Every simulator's data dir and work folder lives under one folder, removed however the run ends.
      const workRoot = mkdtempSync(join(tmpdir(), 'datasync-sim-scenarios-'));
      removeUnlessFinished(workRoot, { folder: true });
      const done: boolean[] = [];
      let current = '';
      stopOnSignal(
        () =>
          `during "${current}" (scenario ${done.length + 1} of ${selected.length}; ` +
          `${done.filter(Boolean).length} passed, ${done.filter((p) => !p).length} failed so far)`,
      );
      const results = await runScenarios(selected, {
        ...flags,
        workRoot,
        adminToken: process.env['DATASYNC_ADMIN_TOKEN'],
        onStart: ({ scenario: s }) => (current = s.name),
        onResult: (r) => {
          done.push(r.passed);
          if (flags.reporter === 'pretty') process.stdout.write(`${prettyResult(r)}\n`);
        },
      });
      if (flags.reporter === 'pretty') process.stdout.write(`${prettySummary(results)}\n`);
      if (flags.reporter === 'json') process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
      if (flags.reporter === 'junit') process.stdout.write(junitXml(results));
      if (flags.junitFile) writeFileSync(flags.junitFile, junitXml(results));
      if (results.length === 0) process.stderr.write('no scenario matched\n');
      process.exitCode =
        results.every((r) => r.passed) && results.length > 0 ? EXIT_CODES.ok : EXIT_CODES.failure;
    });
  scenario
    .command('validate')
    .summary('check scenario files against the schema')
    .argument('[paths...]', 'scenario files or folders (default: the bundled suites)')
    .action(async (paths: string[]) => {
      process.stdout.write(`${(await loadAll(paths)).length} scenario file(s) valid\n`);
    });
  scenario
    .command('list')
    .summary("show each scenario's name, tags and step count")
    .argument('[paths...]', 'scenario files or folders (default: the bundled suites)')
    .action(async (paths: string[]) => {
      const loaded = await loadAll(paths);
      for (const { scenario: s, file } of loaded) {
        const tags = s.tags.length > 0 ? `  [${s.tags.join(', ')}]` : '';
        const steps = `${s.steps.length} step${s.steps.length === 1 ? '' : 's'}`;
        process.stdout.write(`${s.name}${tags}  ${steps}  (${relativeToCwd(file)})\n`);
      }
      process.stdout.write(`${loaded.length} scenario(s)\n`);
    });
  return scenario;
}

async function loadAll(paths: readonly string[]): Promise<LoadedScenario[]> {
  const { findScenarioFiles, loadScenario } = await import('../scenarios/index.ts');
  const files = findScenarioFiles(paths.length > 0 ? paths : [BUNDLED]);
  const loaded: LoadedScenario[] = [];
  const problems: string[] = [];
  for (const file of files) {
    const result = loadScenario(file);
    if (result.ok) loaded.push(result.loaded);
    else problems.push(...result.problems);
  }
  if (problems.length > 0) {
    throw new DataSyncError('SCENARIO_INVALID', {
      problems: `${problems.length} problem(s)${problems.map((p) => `\n  - ${p}`).join('')}`,
    });
  }
  return loaded;
}

/** A path as the user can type it: relative when under the current folder. */
function relativeToCwd(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}

/** The admin URL of a running simulator, checked before anything runs. */
function targetUrl(text: string): URL {
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    throw new DataSyncError('PATH_INVALID', {
      action: 'use --target',
      path: text,
      reason:
        'give the simulator\'s admin URL, e.g. http://127.0.0.1:8080 (serve prints it as "admin listening on")',
    });
  return url;
}
