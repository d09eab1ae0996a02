import junitModule, { type Builder } from 'junit-report-builder';

// The package is CommonJS with a `default` export; under Node's ESM interop either shape can arrive.
const junitReportBuilder = (
  'newBuilder' in junitModule ? junitModule : (junitModule as { default: Builder }).default
) as Builder;
import type { ScenarioResult } from './run-scenarios.ts';

const show = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value, null, 2));

/** One readable block per scenario: ✓ or ✗, and for failures expected, actual, log and journal. */
export function prettyResult(result: ScenarioResult): string {
  const head = `${result.passed ? '✓' : '✗'} ${result.name} (${result.durationMs} ms)`;
  if (result.passed || !result.failure) return head;
  const f = result.failure;
  const lines = [head, `    in ${result.file}, ${f.step}: ${f.message}`];
  if ('expected' in f)
    lines.push(`    expected: ${indent(show(f.expected))}`, `    actual:   ${indent(show(f.actual))}`);
  if (f.log.length > 0) lines.push('    what the scenario did:', ...f.log.map((l) => `      ${l}`));
  if (f.journal.length > 0)
    lines.push('    what the simulator saw (journal, newest last):', ...f.journal.map((l) => `      ${l}`));
  return lines.join('\n');
}

export function prettySummary(results: readonly ScenarioResult[]): string {
  const failed = results.filter((r) => !r.passed).length;
  return `\nscenarios: ${results.length - failed} passed, ${failed} failed`;
}

/** JUnit XML written by junit-report-builder, the shape CI systems read. */
export function junitXml(results: readonly ScenarioResult[]): string {
  const builder = junitReportBuilder.newBuilder();
  const suite = builder.testSuite().name('datasync-sim scenarios');
  for (const result of results) {
    const test = suite
      .testCase()
      .className(result.file)
      .name(result.name)
      .time(result.durationMs / 1000);
    if (!result.passed && result.failure) {
      const f = result.failure;
      test.failure(`${f.step}: ${f.message}`);
      test.standardError(prettyResult(result));
    }
  }
  return builder.build();
}

function indent(text: string): string {
  return text.split('\n').join('\n              ');
}
