import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { conventionProblems, docPages, pageBlocks, strayMarks, walked } from './doc-blocks.ts';
import { openPageSession, walkPage } from './walk-doc-page.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PAGES = docPages(ROOT);

describe('docs follow the doc-test convention (docs/contributing.md "Docs that run")', () => {
  it('every fence names its language, and every mark is known, has its reason and stands before a fence', () => {
    const problems = PAGES.flatMap((page) => [
      ...conventionProblems(pageBlocks(ROOT, page)),
      ...strayMarks(page, readFileSync(join(ROOT, page), 'utf8')),
    ]);
    expect(problems).toEqual([]);
  });

  it('every relative link points at a page that exists, and at a heading it has', () => {
    const broken = PAGES.flatMap((page) => brokenLinks(page));
    expect(broken).toEqual([]);
  });

  it('the README is a front door: under 250 lines', () => {
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n').length).toBeLessThan(250);
  });
});

describe('every ts block type-checks (strict, nodenext, against the package)', () => {
  it('tsc finds no error in any ts block of README.md and docs/', async () => {
    const dir = join(ROOT, 'test-results', 'doc-typecheck');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const blocks = PAGES.flatMap((page) => pageBlocks(ROOT, page)).filter(
      (b) => b.lang === 'ts' && b.mark.skip === undefined,
    );
    const names = blocks.map((b) => {
      const name = `${b.page.replace(/[^A-Za-z0-9]+/g, '-')}-${b.line}.ts`;
      writeFileSync(join(dir, name), b.text);
      return name;
    });
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2023', 'ESNext.Disposable'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ['node'],
        },
        files: names,
      }),
    );
    const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
    const run = await promisify(execFile)(tsc, ['-p', dir]).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(run).toBe('');
    expect(names.length).toBeGreaterThan(3);
  }, 120_000);
});

describe('every page walks from its first line (sh and ts blocks run in order)', () => {
  for (const page of PAGES) {
    const blocks = pageBlocks(ROOT, page);
    if (!blocks.some(walked)) continue;
    it(`${page}`, { timeout: 600_000 }, async () => {
      const session = await openPageSession(ROOT, page);
      const failures = await walkPage(session, blocks);
      expect(failures).toEqual([]);
      rmSync(session.dir, { recursive: true, force: true });
    });
  }
});

/** Relative Markdown links whose file is missing, or whose #anchor is no heading of that file. */
function brokenLinks(page: string): string[] {
  const text = readFileSync(join(ROOT, page), 'utf8').replace(/```[\s\S]*?```/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].flatMap((m) => {
    const target = m[1] ?? '';
    if (/^[a-z]+:/.test(target)) return [];
    const [path = '', anchor] = target.split('#');
    const file = path === '' ? join(ROOT, page) : resolve(dirname(join(ROOT, page)), path);
    if (!existsSync(file)) return [`${page}: ${target}: no such file`];
    if (anchor === undefined || !file.endsWith('.md')) return [];
    const slugs = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => /^#{1,6} /.test(l))
      .map((l) => slug(l.replace(/^#+ /, '')));
    return slugs.includes(anchor) ? [] : [`${page}: ${target}: no heading "${anchor}"`];
  });
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}
