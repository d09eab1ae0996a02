import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { configSchema } from '../../simulator/config/config-schema.ts';
import {
  TEMPORARY_NAME_PATTERNS,
  checkUploadName,
  describeNameCheck,
  isTemporaryUploadName,
} from '../../oclc/upload-name.ts';
import { parseConfigText } from '../../simulator/config/load-config.ts';
import { schemaKeyPaths } from './config-keys.ts';
import { AccountTree } from '../../simulator/storage/account-tree.ts';

import { runCli } from '../support/run-cli.ts';
import { docPages } from './doc-blocks.ts';

const ROOT = new URL('../../', import.meta.url);
const page = (path: string): string => readFileSync(new URL(path, ROOT), 'utf8');
const README = page('README.md');
const BEHAVIOUR = page('docs/oclc-behaviour.md');
const CONFIGURATION = page('docs/configuration.md');

/** A `## title` section of a page, up to the next `## `. */
function section(title: string, text = README): string {
  const start = text.indexOf(`## ${title}`);
  if (start === -1) throw new Error(`no section "${title}"`);
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end === -1 ? undefined : end);
}

function codeBlocks(text: string, lang: string): string[] {
  return [...text.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1] ?? '');
}

describe('README and docs facts', () => {
  it('quick start is exactly the two documented commands', () => {
    const [quick] = codeBlocks(section('Quick start'), 'sh');
    const commands = (quick ?? '')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.replace(/\s+#.*$/, ''));
    expect(commands).toEqual(['npm ci && npm start', 'npm ci && npm test']);
  });

  it('the configuration reference is a valid configuration', () => {
    const [yaml] = codeBlocks(section('Every key, annotated', CONFIGURATION), 'yaml');
    const config = parseConfigText(yaml ?? '', 'README.md');
    expect(config.institutions[0]?.accounts).toEqual({ current: 'fx_ab_64', legacy: 'ab_64' });
  });

  it('every row of the file-name rules table is what the rules say', () => {
    const rows = (section('File-name rules', BEHAVIOUR).split('### Temporary names')[0] ?? '')
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| rule'))
      .map((l) => l.split(' | ').map((c) => c.replace(/^\|?\s*|\s*\|?$/g, '')));
    expect(rows.length).toBeGreaterThanOrEqual(8);
    const context = (name: string) =>
      name.includes('ab@')
        ? { symbols: ['AB@'], collectionIds: ['1234567'], defaultCollectionId: '1234567' }
        : { symbols: ['PUL'], collectionIds: ['1012676'], defaultCollectionId: '1012676' };
    for (const [, examples, said] of rows) {
      const names = [...(examples ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');
      const messages = [...(said ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');
      names.forEach((name, i) => {
        const check = checkUploadName(name, context(name));
        if (check.ok) throw new Error(`README says ${name} is refused, but it is accepted`);
        const message = messages[Math.min(i, messages.length - 1)] ?? '';
        expect(describeNameCheck(check)).toContain(message);
      });
    }
  });

  it('the temporary-name table lists exactly the patterns the server recognises', () => {
    const table = section('File-name rules', BEHAVIOUR).split('### Temporary names')[1] ?? '';
    const rows = table
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| client') && !l.startsWith('| -'))
      .map((l) => l.split(' | ').map((c) => c.replace(/^\|?\s*|\s*\|?$/g, '').replace(/`/g, '')));
    expect(rows).toEqual(TEMPORARY_NAME_PATTERNS.map(({ client, example }) => [client, example]));
    for (const [, example] of rows) expect(isTemporaryUploadName(example ?? '')).toBe(true);
  });

  it('the folder tree is the tree an account sees', () => {
    const config = parseConfigText(
      'institutions:\n  - { symbol: PUL, password: x, collections: [{ id: "1012676", type: bib }] }\n',
      'test',
    );
    const [pul] = config.institutions;
    if (!pul) throw new Error('no institution');
    const tree = new AccountTree(pul, config.institutions, '/data');
    const documented = section('Accounts and folders', BEHAVIOUR);
    for (const path of [
      '/xfer/metacoll/in/bib',
      '/xfer/metacoll/in/lhr',
      '/xfer/metacoll/reports',
      '/xfer/metacoll/out/ongoing/new',
      '/xfer/metacoll/out/ongoing/updates',
      '/xfer/metacoll/out/ongoing/deletes',
    ]) {
      expect(tree.folder(path)).toMatchObject({
        path,
        realPath: `/data/xfer/pul${path.slice('/xfer'.length)}`,
      });
      const leaf = path.split('/').pop() ?? '';
      expect(documented).toContain(leaf);
    }
  });
});

describe('configuration reference', () => {
  it('names every key the config schema accepts, and no other', () => {
    const [yaml = ''] = codeBlocks(section('Every key, annotated', CONFIGURATION), 'yaml');
    const schemaKeys = schemaKeyPaths(configSchema);
    // A key is documented when it is written as a key or named in a comment (`# or passwordEnv: NAME`).
    const named = new Set([...yaml.matchAll(/([A-Za-z]+):/g)].map((m) => m[1] ?? ''));
    const leaf = (path: string): string => path.split(/\.|\[\]\./).pop() ?? path;
    expect(schemaKeys.filter((path) => !path.endsWith('*') && !named.has(leaf(path)))).toEqual([]);
    const documentedKeys = keyPaths(parseDocument(yaml).toJS() as unknown);
    const known = (path: string): boolean =>
      schemaKeys.some((key) => key === path || (key.endsWith('.*') && path.startsWith(key.slice(0, -1))));
    expect(documentedKeys.filter((path) => !known(path))).toEqual([]);
  });
});

function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return [...new Set(value.flatMap((v) => keyPaths(v, `${prefix}[]`)))];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return [path, ...keyPaths(v, path)];
  });
}

describe('docs on clients that hide the refusal text', () => {
  it("says curl shows only libssh2's status, next to the refusal example, and where to look instead", () => {
    const accounts = section('Accounts and folders', BEHAVIOUR);
    expect(accounts).toContain('a refused upload prints only `Permission denied (3/-31)`');
    expect(accounts).toContain('`GET /api/journal?type=upload:refused`');
  });
});

describe('tables in README.md and docs/', () => {
  it('every row has as many cells as its header (pipes in code are escaped)', () => {
    const cells = (line: string): number => line.replace(/\\\|/g, '').split('|').length - 2;
    for (const path of docPages(new URL('.', ROOT).pathname)) {
      const lines = page(path).split('\n');
      lines.forEach((line, i) => {
        const previous = lines[i - 1] ?? '';
        if (!line.startsWith('| ---') && !line.startsWith('| -')) return;
        const header = cells(previous);
        for (let j = i + 1; lines[j]?.startsWith('|'); j++)
          expect(cells(lines[j] ?? ''), `${path} line ${j + 1}: ${lines[j]}`).toBe(header);
      });
    }
  });
});

describe('the CI snippet for check', () => {
  it('uses flags the command has', async () => {
    const guide = page('docs/integration-developers.md');
    const [yaml = ''] = codeBlocks(section('4. Check before you send', guide), 'yaml');
    const help = (await runCli(['check', '--help'])).stdout;
    const flags = [...yaml.matchAll(/ (--[a-z-]+)/g)].map((m) => m[1] ?? '');
    expect(flags).toEqual(['--symbol', '--config', '--format', '--out']);
    for (const flag of flags) expect(help).toContain(flag);
    expect(yaml).toContain('--format junit');
  });
});
