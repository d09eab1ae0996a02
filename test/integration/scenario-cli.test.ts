import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startTestSimulator } from '../support/test-simulator.ts';

const GIVEN = `given:
  institutions:
    - symbol: PUL
      password: pul-secret
      collections: [{ id: "1012676", type: bib, default: true }]
`;

function scenario(dir: string, name: string, body: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `name: ${name}\ntags: [t-${name}]\n${GIVEN}${body}`);
  return file;
}

const PASSING = `steps:
  - generate: { count: 2, as: two.mrc }
  - sftp: { user: fx_pul, password: pul-secret, commands: ["put two.mrc metacoll/in/bib/1012676.pul.x.mrc"] }
  - process: {}
expect:
  reports: [{ kind: BibProcessingReport, count: 2 }]
`;

/** Elements of an XML document with their attributes, in order. */
function elements(xml: string): { name: string; attributes: Record<string, string> }[] {
  const parser = new SaxesParser();
  const out: { name: string; attributes: Record<string, string> }[] = [];
  parser.on('opentag', (tag) =>
    out.push({ name: tag.name, attributes: tag.attributes as Record<string, string> }),
  );
  parser.write(xml).close();
  return out;
}

describe('datasync-sim scenario', () => {
  it('a wrong expectation exits 1 and shows expected, actual and the journal', async () => {
    using dir = tempDir();
    const wrong = scenario(
      dir.path,
      'wrong',
      PASSING.replace('BibProcessingReport, count: 2', 'BibProcessingReport, count: 5'),
    );
    const result = await runCli(['scenario', 'run', wrong]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('✗ wrong');
    expect(result.stdout).toContain('expect: rows in BibProcessingReport');
    expect(result.stdout).toMatch(/expected: 5\n\s+actual: {3}\[/);
    expect(result.stdout).toContain('what the simulator saw (journal, newest last):');
    expect(result.stdout).toContain('file:processed fx_pul 1012676.pul.x.mrc');
    expect(result.stdout).toContain('scenarios: 0 passed, 1 failed');
  });

  it('writes JUnit XML in the common shape, with the failure', async () => {
    using dir = tempDir();
    scenario(dir.path, 'good', PASSING);
    scenario(
      dir.path,
      'bad',
      PASSING.replace('BibProcessingReport, count: 2', 'BibProcessingReport, count: 3'),
    );
    const junit = join(dir.path, 'junit.xml');
    const result = await runCli(['scenario', 'run', dir.path, '--reporter', 'junit', '--junit-file', junit]);
    expect(result.code).toBe(1);
    const tree = elements(result.stdout);
    expect(tree[0]).toMatchObject({ name: 'testsuites', attributes: { tests: '2', failures: '1' } });
    expect(tree[1]).toMatchObject({
      name: 'testsuite',
      attributes: { name: 'datasync-sim scenarios', tests: '2', failures: '1' },
    });
    const cases = tree.filter((e) => e.name === 'testcase');
    expect(cases.map((c) => c.attributes['name'])).toEqual(['bad', 'good']);
    expect(
      tree.some(
        (e) =>
          e.name === 'failure' && (e.attributes['message'] ?? '').includes('rows in BibProcessingReport'),
      ),
    ).toBe(true);
    expect(elements(readFileSync(junit, 'utf8'))).toEqual(tree);
  });

  it('selects with --grep and --tag, and lists names and tags', async () => {
    using dir = tempDir();
    scenario(dir.path, 'alpha', PASSING);
    scenario(
      dir.path,
      'beta',
      PASSING.replace('BibProcessingReport, count: 2', 'BibProcessingReport, count: 9'),
    );
    const grep = await runCli(['scenario', 'run', dir.path, '--grep', 'alp']);
    expect(grep.code).toBe(0);
    expect(grep.stdout).toContain('scenarios: 1 passed, 0 failed');
    const tag = await runCli(['scenario', 'run', dir.path, '--tag', 't-beta', '--reporter', 'json']);
    expect((JSON.parse(tag.stdout) as { name: string }[]).map((r) => r.name)).toEqual(['beta']);
    const list = await runCli(['scenario', 'list', dir.path]);
    expect(list.stdout).toMatch(/^alpha {2}\[t-alpha\] {2}\d+ steps? {2}\(/m);
    expect(list.stdout).toMatch(/^2 scenario\(s\)$/m);
  });

  it('with no path, list, validate and run use the bundled suites, from any folder', async () => {
    using dir = tempDir();
    const suites = readdirSync(fileURLToPath(new URL('../../scenarios/suites/', import.meta.url)));
    const list = await runCli(['scenario', 'list'], { cwd: dir.path });
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(`${suites.length} scenario(s)`);
    expect(list.stdout).toMatch(
      /^a partial LHR set removes the other copies .* {2}\[lhr, pitfall\] {2}4 steps {2}\(/m,
    );
    const validate = await runCli(['scenario', 'validate'], { cwd: dir.path });
    expect(validate.stdout).toBe(`${suites.length} scenario file(s) valid\n`);
    const run = await runCli(['scenario', 'run', '--tag', 'non-marc'], { cwd: dir.path });
    expect(run.stdout).toMatch(/scenarios: [1-9]\d* passed, 0 failed/);
    expect(run.code).toBe(0);
  });

  it('validate reports schema errors with file and line', async () => {
    using dir = tempDir();
    const file = join(dir.path, 'broken.yaml');
    writeFileSync(
      file,
      `name: broken\n${GIVEN}steps:\n  - sftp: { user: x, password: y, commands: ["delete everything"] }\n  - teleport: {}\n`,
    );
    const result = await runCli(['scenario', 'validate', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file}: line 8: steps.0`);
    expect(result.stderr).toContain(`${file}: line 9: steps.1`);
  });

  it('--target runs against a running simulator through its admin API, after a reset', async () => {
    await using sim = await startTestSimulator({ processing: 'manual' });
    using dir = tempDir();
    const file = scenario(dir.path, 'remote', PASSING);
    for (let run = 0; run < 2; run++) {
      const result = await runCli(['scenario', 'run', '--target', sim.adminUrl, '--yes', file]);
      expect(result.stdout).toContain('✓ remote');
      expect(result.code).toBe(0);
    }
    expect(sim.files.list()).toHaveLength(1);
  });
});
