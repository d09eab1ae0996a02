import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkExpectations } from './check-expectations.ts';
import type { LoadedScenario } from './load-scenario.ts';
import { runStep } from './run-step.ts';
import { ExpectationError, type ScenarioContext } from './scenario-context.ts';
import { inProcessTarget, remoteTarget, type ScenarioTarget } from './scenario-target.ts';

export interface ScenarioResult {
  name: string;
  file: string;
  tags: string[];
  passed: boolean;
  durationMs: number;
  failure?: {
    step: string;
    message: string;
    expected?: unknown;
    actual?: unknown;
    log: string[];
    journal: string[];
  };
}

export interface RunOptions {
  target?: string;
  /** The target's admin token (DATASYNC_ADMIN_TOKEN), when it has one. */
  adminToken?: string | undefined;
  grep?: string;
  tag?: string;
  bail?: boolean;
  /** Where the runner makes its temporary folders (default: the system's); the CLI removes it whole. */
  workRoot?: string;
  onStart?: (scenario: LoadedScenario) => void;
  onResult?: (result: ScenarioResult) => void;
}

/** Selects scenarios by --grep (name) and --tag. */
export function selectScenarios(scenarios: readonly LoadedScenario[], options: RunOptions): LoadedScenario[] {
  return scenarios.filter(
    ({ scenario }) =>
      (options.grep === undefined || scenario.name.toLowerCase().includes(options.grep.toLowerCase())) &&
      (options.tag === undefined || scenario.tags.includes(options.tag)),
  );
}

/** Runs scenarios one after another, each on a fresh simulator (or a reset target). */
export async function runScenarios(
  scenarios: readonly LoadedScenario[],
  options: RunOptions = {},
): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const loaded of scenarios) {
    options.onStart?.(loaded);
    const result = await runOne(loaded, options);
    results.push(result);
    options.onResult?.(result);
    if (!result.passed && options.bail) break;
  }
  return results;
}

async function runOne({ scenario, file, dir }: LoadedScenario, options: RunOptions): Promise<ScenarioResult> {
  const started = performance.now();
  const work = mkdtempSync(join(options.workRoot ?? tmpdir(), 'datasync-scenario-work-'));
  const base = { name: scenario.name, file, tags: scenario.tags };
  let step = 'setting up the simulator';
  let ctx: ScenarioContext | undefined;
  let target: ScenarioTarget | undefined;
  try {
    target = options.target
      ? await remoteTarget(options.target, scenario.given, options.adminToken)
      : await inProcessTarget(scenario.given, options.workRoot);
    ctx = { target, dir, work, lastProfile: undefined, log: [], given: scenario.given };
    for (const [index, s] of scenario.steps.entries()) {
      step = `step ${index + 1} (${Object.keys(s)[0] ?? '?'})`;
      await runStep(ctx, s);
    }
    step = 'expect';
    await checkExpectations(ctx, scenario);
    return { ...base, passed: true, durationMs: Math.round(performance.now() - started) };
  } catch (error) {
    const journal = ctx ? await ctx.target.admin.journal(15).catch(() => []) : [];
    return {
      ...base,
      passed: false,
      durationMs: Math.round(performance.now() - started),
      failure: {
        step,
        message: error instanceof Error ? error.message : String(error),
        ...(error instanceof ExpectationError ? { expected: error.expected, actual: error.actual } : {}),
        log: ctx?.log ?? [],
        journal: journal.map(
          (e) =>
            `${e.type}${e.account ? ` ${e.account}` : ''}${e.subject ? ` ${e.subject}` : ''}${e.message ? `: ${e.message}` : ''}`,
        ),
      },
    };
  } finally {
    await target?.[Symbol.asyncDispose]();
    rmSync(work, { recursive: true, force: true });
  }
}
