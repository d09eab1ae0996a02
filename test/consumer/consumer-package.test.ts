import { execFileSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HERE = fileURLToPath(new URL('./project', import.meta.url));
const project = tempDir('datasync-consumer-');
const run = (command: string, args: string[], cwd = project.path): string =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 900_000 });

/**
 * The package as another project gets it: `npm pack`, then a fresh project that installs only the
 * tarball (and typescript to type-check), with no loader and no @types beyond @types/node.
 * testcontainers is an optional peer (D82): installed here as a user of the /testcontainers entry
 * would, so that entry's types resolve.
 */
beforeAll(() => {
  const tarball = run('npm', ['pack', '--silent', '--pack-destination', project.path], ROOT)
    .trim()
    .split('\n')
    .at(-1);
  writeFileSync(
    join(project.path, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  run('npm', [
    'install',
    '--no-audit',
    '--no-fund',
    join(project.path, tarball ?? ''),
    'typescript@~5.9',
    '@types/node@20',
    'testcontainers@^11.14.0',
  ]);
  for (const file of readdirSync(HERE)) copyFileSync(join(HERE, file), join(project.path, file));
}, 1_200_000);

// Removing the installed project (hundreds of files) can take minutes on a busy CI machine.
afterAll(() => project[Symbol.dispose](), 300_000);

describe('the published package, installed into a fresh project', () => {
  it('runs under plain node: starts a simulator, takes an upload over ssh2, reports its holdings', () => {
    const marc = join(ROOT, 'scenarios/fixtures/bib-day1.mrc');
    const out = run('node', ['upload.mjs', marc]);
    expect(JSON.parse(out.trim().split('\n').at(-1) ?? '{}')).toEqual({ holdings: ['100', '200', '300'] });
  });

  it('type-checks all three entry points with tsc --strict and nodenext resolution', () => {
    writeFileSync(
      join(project.path, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          lib: ['es2023', 'esnext.disposable'],
          types: ['node'],
          noEmit: true,
        },
        files: ['types-check.ts'],
      }),
    );
    const errors = ((): string => {
      try {
        return run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
      } catch (error) {
        return String((error as { stdout?: string }).stdout ?? error);
      }
    })();
    expect(errors).toBe('');
  }, 180_000);

  it('ships the CLI as compiled JavaScript: --version prints the package version', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(run('npx', ['datasync-sim', '--version']).trim()).toBe(version);
  });

  it('runs every bundled scenario suite with `npx datasync-sim scenario run` and no path', () => {
    const suites = readdirSync(join(ROOT, 'scenarios/suites')).filter((f) => f.endsWith('.yaml'));
    const list = run('npx', ['datasync-sim', 'scenario', 'list']);
    expect(list).toContain(`${suites.length} scenario(s)`);
    expect(list).not.toContain(ROOT);
    // Every fixture a suite names travels with the package (.mrc, .csv, .nsk).
    const out = run('npx', ['datasync-sim', 'scenario', 'run']);
    expect(out).toContain(`scenarios: ${suites.length} passed, 0 failed`);
  }, 300_000);
});
