import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: fileURLToPath(new URL('../..', import.meta.url)) });

/** Lints `source` as if it were the file at `filePath` and returns the import rule's messages. */
async function importErrors(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('npm run lint enforces the layers', () => {
  it.each([
    ['oclc/x.ts', "import { readFileSync } from 'node:fs';", 'no I/O'],
    ['oclc/marc/x.ts', "import { startSimulator } from '../../simulator/index.ts';", 'oclc/ must not import'],
    [
      'client/x.ts',
      "import { startSimulator } from '../simulator/index.ts';",
      'client/ must not import simulator/',
    ],
    [
      'simulator/processing/x.ts',
      "import { x } from '../sftp/sftp-server.ts';",
      'processing must not import sftp/',
    ],
    [
      'cli/x.ts',
      "import { startSimulator } from '../simulator/start-simulator.ts';",
      'only through simulator/index.ts',
    ],
    ['scenarios/x.ts', "import { publish } from '../client/publish.ts';", 'only through client/index.ts'],
    ['docker/x.ts', "import { AdminClient } from '../scenarios/index.ts';", 'use ../index.ts'],
    ['simulator/x.ts', "import { tempDir } from '../test/support/temp-dir.ts';", 'never imports test'],
    ['simulator/processing/x.ts', "import { Client } from 'ssh2';", 'ssh2 is used only in'],
    ['client/x.ts', "import express from 'express';", 'express is used only in'],
  ])('refuses in %s: %s', async (file, source, expected) => {
    expect((await importErrors(file, source)).join('\n')).toContain(expected);
  });

  it.each([
    ['cli/x.ts', "import { startSimulator } from '../simulator/index.ts';"],
    ['cli/x.ts', "import { startSimulator } from '../simulator/start.ts';"],
    ['simulator/sftp/x.ts', "import { Server } from 'ssh2';"],
    ['oclc/x.ts', "import { Buffer } from 'node:buffer';"],
    ['docker/x.ts', "import { AdminClient } from '../index.ts';"],
    ['test/x.test.ts', "import { startSimulator } from '../simulator/start-simulator.ts';"],
  ])('allows in %s: %s', async (file, source) => {
    expect(await importErrors(file, source)).toEqual([]);
  });
});
