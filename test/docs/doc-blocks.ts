import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The doc-test convention (docs/contributing.md "Docs that run"): every fenced block in README.md
 * and docs/ names its language; `sh` and `ts` blocks run, each page walked from its first line in
 * one folder, and a `<!-- doc-test: ... -->` comment on the line before a fence says otherwise.
 */
export interface DocBlock {
  /** Path from the repository root, e.g. `docs/qa.md`. */
  page: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  text: string;
  mark: DocMark;
}

export interface DocMark {
  /** Not run, and why (an illustration, output, an interactive session...). */
  skip?: string;
  /** Started in the background; the page goes on once its output contains this text. */
  background?: string;
  /** Saved under this name in the page's folder instead of being run. */
  file?: string;
  /** The exit code the block's last command must end with (default 0). */
  exit?: number;
  /** Run by the container tier (test/container), which has a container engine. */
  container?: boolean;
  /** A directive this convention does not know (reported as a problem). */
  unknown?: string;
}

/** Languages whose blocks run unless marked. */
export const RUN_LANGUAGES = ['sh', 'ts'] as const;
/** Languages that are data, output or pictures: never run, except as a `file`. */
export const DATA_LANGUAGES = ['text', 'yaml', 'json', 'csv', 'mermaid', 'js'] as const;

const MARK = /^<!-- doc-test: (.*) -->$/;

/** Every fenced block of a Markdown text, with the doc-test mark on the line before it. */
export function docBlocks(page: string, markdown: string): DocBlock[] {
  const lines = markdown.split('\n');
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})(.*)$/.exec(lines[i] ?? '');
    if (!open) continue;
    const fence = open[1] ?? '```';
    const end = lines.findIndex((l, j) => j > i && l.startsWith(fence) && l.trim() === fence);
    const close = end === -1 ? lines.length : end;
    const before = lines
      .slice(0, i)
      .reverse()
      .find((l) => l.trim() !== '');
    blocks.push({
      page,
      line: i + 1,
      lang: (open[2] ?? '').trim().split(/\s+/)[0] ?? '',
      text: lines.slice(i + 1, close).join('\n'),
      mark: parseMark(MARK.exec(before?.trim() ?? '')?.[1]),
    });
    i = close;
  }
  return blocks;
}

/**
 * `skip: reason`, `background until "text"`, `file NAME`, `exit N`, `container`; `;` between.
 * A skip's reason runs to the end of the comment, so it may hold `;` itself.
 */
export function parseMark(text: string | undefined): DocMark {
  const mark: DocMark = {};
  const all = text ?? '';
  const skipAt = all.search(/(^|;)\s*skip\b/);
  const directives = skipAt === -1 ? all : all.slice(0, skipAt);
  if (skipAt !== -1)
    mark.skip = all
      .slice(skipAt)
      .replace(/^;?\s*skip:?/, '')
      .trim();
  for (const part of directives.split(';').map((p) => p.trim())) {
    if (part.startsWith('background')) mark.background = /until "(.+)"/.exec(part)?.[1] ?? '';
    else if (part.startsWith('file ')) mark.file = part.slice(5).trim();
    else if (part.startsWith('exit ')) mark.exit = Number(part.slice(5));
    else if (part === 'container') mark.container = true;
    else if (part) mark.unknown = part;
  }
  return mark;
}

/** Every way a block breaks the convention, as `page:line: problem`. */
export function conventionProblems(blocks: readonly DocBlock[]): string[] {
  const problems: string[] = [];
  const at = (b: DocBlock, text: string): string => `${b.page}:${b.line}: ${text}`;
  for (const b of blocks) {
    const known = [...RUN_LANGUAGES, ...DATA_LANGUAGES] as readonly string[];
    if (!b.lang) problems.push(at(b, 'a fence names its language (sh, ts, text, yaml, ...)'));
    else if (!known.includes(b.lang))
      problems.push(at(b, `unknown language "${b.lang}"; use one of ${known.join(', ')}`));
    if (b.mark.skip === '') problems.push(at(b, '"skip" needs a reason: <!-- doc-test: skip: why -->'));
    if (b.mark.background === '') problems.push(at(b, 'background needs until "text it prints when ready"'));
    if (b.mark.exit !== undefined && !Number.isInteger(b.mark.exit))
      problems.push(at(b, 'exit takes a number'));
    if (b.mark.container && b.lang !== 'ts') problems.push(at(b, 'container marks only ts blocks'));
    if (b.mark.unknown) problems.push(at(b, `unknown doc-test directive "${b.mark.unknown}"`));
  }
  return problems;
}

/** Marks that no fence follows (a typo would silently run or skip the wrong block). */
export function strayMarks(page: string, markdown: string): string[] {
  const lines = markdown.split('\n');
  const stray: string[] = [];
  lines.forEach((line, i) => {
    if (!MARK.test(line.trim())) return;
    const next = lines.slice(i + 1).find((l) => l.trim() !== '');
    if (!next?.startsWith('```'))
      stray.push(`${page}:${i + 1}: a doc-test mark must stand right before a fence`);
  });
  return stray;
}

/** README.md and every Markdown page under docs/, as paths from the root. */
export function docPages(root: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? walk(join(dir, entry.name))
        : entry.name.endsWith('.md')
          ? [relative(root, join(root, dir, entry.name))]
          : [],
    );
  return ['README.md', ...walk('docs')];
}

export function pageBlocks(root: string, page: string): DocBlock[] {
  return docBlocks(page, readFileSync(join(root, page), 'utf8'));
}

/** Whether a block is walked with its page (run or saved), outside the container tier. */
export function walked(block: DocBlock): boolean {
  if (block.mark.skip !== undefined || block.mark.container) return false;
  if (block.mark.file !== undefined) return true;
  return (RUN_LANGUAGES as readonly string[]).includes(block.lang);
}
