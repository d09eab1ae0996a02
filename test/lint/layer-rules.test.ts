import { cruise, type ICruiseOptions, type ICruiseResult } from 'dependency-cruiser';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The rule file `npm run lint:layers` uses, applied to small trees that each hold one wrong import.
const configUrl = new URL('../../.dependency-cruiser.mjs', import.meta.url).href;
const config = ((await import(configUrl)) as { default: { forbidden: unknown[] } }).default;

const LIBRARIES = ['ssh2', 'express', 'commander', 'marcjs', 'zod', 'picomatch'];
const roots: string[] = [];
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

/**
 * Writes `files` (path → source) into a fresh tree with the libraries as empty packages, cruises
 * it with the project's rules, and returns each violation as `rule: from -> to`. A file a source
 * imports but `files` omits is written empty, so every import resolves.
 */
async function violations(files: Record<string, string>): Promise<string[]> {
  const root = mkdtempSync(join(tmpdir(), 'layer-rules-'));
  roots.push(root);
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write(
    'package.json',
    JSON.stringify({ type: 'module', dependencies: Object.fromEntries(LIBRARIES.map((l) => [l, '1'])) }),
  );
  for (const name of LIBRARIES) {
    write(`node_modules/${name}/package.json`, JSON.stringify({ name, main: 'index.js' }));
    write(`node_modules/${name}/index.js`, '');
  }
  for (const [path, source] of Object.entries(files)) {
    for (const [, spec] of source.matchAll(/['"](\.{1,2}\/[^'"]+)['"]/g))
      if (spec) write(join(dirname(path), spec), '');
  }
  for (const [path, source] of Object.entries(files)) write(path, source);
  const options: ICruiseOptions = {
    baseDir: root,
    validate: true,
    ruleSet: config as ICruiseOptions['ruleSet'],
    tsPreCompilationDeps: true,
    doNotFollow: { path: '^node_modules/' },
  };
  const { output } = await cruise(['.'], options);
  const result = output as ICruiseResult;
  return (result.summary.violations ?? []).map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
}

describe('npm run lint refuses imports that break the architecture', () => {
  it.each([
    ['oclc-imports', 'oclc/marc/x.ts', "import { startSimulator } from '../../simulator/index.ts';"],
    ['oclc-no-io', 'oclc/x.ts', "import { readFileSync } from 'node:fs';"],
    ['oclc-libraries', 'oclc/x.ts', "import picomatch from 'picomatch';"],
    ['client-imports', 'client/x.ts', "import type { UploadRecord } from '../simulator/index.ts';"],
    ['simulator-imports', 'simulator/sftp/x.ts', "import { publish } from '../../client/index.ts';"],
    ['through-faces', 'cli/x.ts', "import { startSimulator } from '../simulator/start-simulator.ts';"],
    ['through-faces', 'scenarios/x.ts', "import { publish } from '../client/publish.ts';"],
    ['docker-imports', 'docker/x.ts', "import { publish } from '../client/index.ts';"],
    ['through-faces', 'docker/x.ts', "import { runScenarios } from '../scenarios/run-scenarios.ts';"],
    ['cli-imports', 'cli/x.ts', "export const later = () => import('../testing/index.ts');"],
    ['no-test-code', 'simulator/x.ts', "import { tempDir } from '../test/support/temp-dir.ts';"],
    ['ssh2-at-its-edge', 'simulator/processing/x.ts', "import { Client } from 'ssh2';"],
    ['express-at-its-edge', 'client/x.ts', "import express from 'express';"],
    ['process-flags-at-the-entry', 'simulator/sftp/x.ts', "import { setFlagsFromString } from 'node:v8';"],
    ['process-flags-at-the-entry', 'testing/x.ts', "import { runInNewContext } from 'node:vm';"],
    ['commander-at-its-edge', 'scenarios/x.ts', "import { Command } from 'commander';"],
    ['marcjs-at-its-edge', 'simulator/processing/x.ts', "import marc from 'marcjs';"],
    [
      'simulator-base',
      'simulator/config/x.ts',
      "import type { X } from '../sftp/protocol/sftp-personality.ts';",
    ],
    ['simulator-base', 'simulator/clock/x.ts', "import type { X } from '../storage/upload-store.ts';"],
    ['simulator-stores', 'simulator/journal/x.ts', "import { pathMatcher } from '../faults/fault-rules.ts';"],
    ['simulator-stages', 'simulator/processing/x.ts', "import type { X } from '../sftp/sftp-server.ts';"],
    [
      'simulator-stages',
      'simulator/output/x.ts',
      "export const later = () => import('../admin/admin-app.ts');",
    ],
    [
      'simulator-stages',
      'simulator/intake/x.ts',
      "import type { StartedSimulator } from '../started-simulator.ts';",
    ],
    ['simulator-edges', 'simulator/admin/x.ts', "import { startSimulator } from '../start-simulator.ts';"],
    [
      'simulator-started-type',
      'simulator/started-simulator.ts',
      "import type { Ban } from './sftp/defender.ts';",
    ],
    ['simulator-folder-has-a-layer', 'simulator/widgets/x.ts', "import type { X } from '../config/y.ts';"],
  ])('%s: %s with %s', async (rule, file, source) => {
    expect(await violations({ [file]: source })).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${rule}: ${file.replace('.', '[.]')} -> `)),
      ]),
    );
  });

  it('refuses a cycle of type-only imports, between modules and between folders', async () => {
    const found = await violations({
      'simulator/intake/a.ts': "import type { B } from '../processing/b.ts';\nexport type A = 1;",
      'simulator/processing/b.ts': "import type { A } from '../intake/a.ts';\nexport type B = 2;",
    });
    expect(found).toContain('no-cycle: simulator/intake/a.ts -> simulator/processing/b.ts');
    expect(found.some((v) => v.startsWith('no-folder-cycle: simulator/intake'))).toBe(true);
  });

  it('refuses two folders that import each other through different modules', async () => {
    const found = await violations({
      'simulator/intake/a.ts': "import { b } from '../processing/b.ts';",
      'simulator/processing/c.ts': "import { d } from '../intake/d.ts';",
    });
    expect(found.filter((v) => v.startsWith('no-cycle'))).toEqual([]);
    expect(found.some((v) => v.startsWith('no-folder-cycle: simulator/intake'))).toBe(true);
  });

  it.each([
    ['cli/x.ts', "import { startSimulator } from '../simulator/start.ts';"],
    ['simulator/sftp/x.ts', "import { Server } from 'ssh2';"],
    ['simulator/metadata-api/x.ts', "import express from 'express';"],
    ['simulator/sftp/x.ts', "import type { SimulatorEvents } from '../events/simulator-events.ts';"],
    ['simulator/admin/x.ts', "import type { StartedSimulator } from '../started-simulator.ts';"],
    ['simulator/processing/x.ts', "import { deliverReports } from '../reports/deliver-reports.ts';"],
    ['simulator/start-simulator.ts', "export const later = () => import('./admin/admin-app.ts');"],
    ['oclc/x.ts', "import { Buffer } from 'node:buffer';"],
    ['cli/x.ts', "import { setFlagsFromString } from 'node:v8';"],
    ['docker/x.ts', "import { AdminClient } from '../index.ts';"],
    ['docker/x.ts', "import { AdminClient } from '../scenarios/admin-client.ts';"],
    ['scenarios/x.ts', "import { adminRoutes } from '../simulator/contract.ts';"],
  ])('allows in %s: %s', async (file, source) => {
    expect(await violations({ [file]: source })).toEqual([]);
  });
});
