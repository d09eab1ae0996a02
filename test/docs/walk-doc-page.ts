import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { walked, type DocBlock } from './doc-blocks.ts';

/** A page's folder, the free ports its blocks use instead of 2222 and 8080, and its environment. */
export interface PageSession {
  dir: string;
  sftpPort: number;
  adminPort: number;
  env: NodeJS.ProcessEnv;
}

export interface BlockRun {
  code: number | null;
  output: string;
}

const BLOCK_TIMEOUT_MS = 180_000;

/**
 * A folder inside the checkout (so `npx datasync-sim` finds the package and a ts block's
 * `import 'datasync-sim'` resolves to it, as in the checkout), with `scenarios/` beside it.
 */
export async function openPageSession(root: string, page: string): Promise<PageSession> {
  const base = join(root, 'test-results', 'doc-pages');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, `${page.replace(/[^A-Za-z0-9]+/g, '-')}-`));
  symlinkSync(join(root, 'scenarios'), join(dir, 'scenarios'));
  const [sftpPort, adminPort] = [await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATASYNC_SIM_SFTP_PORT: String(sftpPort),
    DATASYNC_SIM_ADMIN_PORT: String(adminPort),
    // A page run from a terminal must not open a browser or ask questions.
    DISPLAY: '',
    WAYLAND_DISPLAY: '',
    FORCE_COLOR: '0',
  };
  return { dir, sftpPort, adminPort, env };
}

/** The block's text as this session runs it: the documented ports become the session's. */
export function localise(session: PageSession, text: string): string {
  return text.replace(/\b2222\b/g, String(session.sftpPort)).replace(/\b8080\b/g, String(session.adminPort));
}

/**
 * Walks a page's blocks in order, as a reader would: files saved, background commands started and
 * awaited, `sh` blocks run (each `$ ` command's output compared, `…` matching anything), `ts`
 * blocks run with tsx or, when they import vitest, as a test. Returns every failure.
 */
export async function walkPage(session: PageSession, blocks: readonly DocBlock[]): Promise<string[]> {
  const background: ChildProcess[] = [];
  const failures: string[] = [];
  try {
    for (const block of blocks.filter(walked)) {
      const problem = await walkBlock(session, block, background);
      if (problem) {
        failures.push(`${block.page}:${block.line}: ${problem}`);
        break;
      }
    }
  } finally {
    await Promise.all(background.map(stopGroup));
  }
  return failures;
}

async function walkBlock(
  session: PageSession,
  block: DocBlock,
  background: ChildProcess[],
): Promise<string | undefined> {
  const text = localise(session, block.text);
  if (block.mark.file !== undefined) {
    const file = resolve(session.dir, block.mark.file);
    if (!file.startsWith(`${session.dir}/`) || block.mark.file.startsWith('scenarios/'))
      return `file ${block.mark.file}: a saved block stays inside the page's folder (and out of scenarios/)`;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${text}\n`);
    return undefined;
  }
  if (block.mark.background !== undefined) {
    const started = startBackground(session, text, block.mark.background);
    background.push(started.child);
    return started.ready;
  }
  if (block.lang === 'ts') return runSnippet(session, block, text);
  return runShell(session, text, block.mark.exit ?? 0);
}

async function runShell(session: PageSession, text: string, exit: number): Promise<string | undefined> {
  const steps = promptSteps(text);
  for (const [i, step] of steps.entries()) {
    const expected = i === steps.length - 1 ? exit : 0;
    const run = await runProcess('bash', ['-e', '-o', 'pipefail', '-c', step.command], session);
    if (run.code !== expected)
      return `\`${step.command.split('\n')[0]}\` exited ${run.code}, not ${expected}:\n${run.output}`;
    if (step.expected !== undefined && !outputMatches(run.stdout, step.expected))
      return `\`${step.command}\` printed:\n${run.stdout}\nnot what the page shows:\n${step.expected.join('\n')}`;
  }
  return undefined;
}

interface ShellStep {
  command: string;
  /** The lines the page shows after a `$ ` command, when it uses prompts. */
  expected?: string[];
}

/** A block with `$ ` prompts is commands and their output; without, one script. */
export function promptSteps(text: string): ShellStep[] {
  const lines = text.split('\n');
  if (!lines.some((l) => l.startsWith('$ '))) return [{ command: text }];
  const steps: ShellStep[] = [];
  for (const line of lines) {
    if (line.startsWith('$ ')) steps.push({ command: line.slice(2), expected: [] });
    else steps.at(-1)?.expected?.push(line);
  }
  return steps;
}

/** Line by line; `…` in the page matches any text, trailing blank lines are ignored. */
export function outputMatches(actual: string, expected: readonly string[]): boolean {
  const trim = (lines: string[]): string[] => {
    while (lines.length > 0 && lines.at(-1)?.trim() === '') lines.pop();
    return lines;
  };
  const got = trim(actual.split('\n').map((l) => l.trimEnd()));
  const want = trim(expected.map((l) => l.trimEnd()));
  if (got.length !== want.length) return false;
  return want.every((line, i) => {
    const pattern = line
      .split('…')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    return new RegExp(`^${pattern}$`).test(got[i] ?? '');
  });
}

async function runSnippet(session: PageSession, block: DocBlock, text: string): Promise<string | undefined> {
  const name = `snippet-${block.line}.ts`;
  writeFileSync(join(session.dir, name), text);
  const root = join(session.dir, '..', '..', '..');
  const isTest = /from 'vitest'/.test(text);
  if (isTest)
    writeFileSync(
      join(session.dir, `vitest-${block.line}.config.mjs`),
      `export default { test: { include: ['${name}'], testTimeout: 120000 } };\n`,
    );
  const run = isTest
    ? await runProcess(
        join(root, 'node_modules', '.bin', 'vitest'),
        ['run', '--root', '.', '--config', `vitest-${block.line}.config.mjs`],
        session,
      )
    : await runProcess(process.execPath, ['--import', 'tsx', name], session);
  const expected = block.mark.exit ?? 0;
  return run.code === expected ? undefined : `${name} exited ${run.code}, not ${expected}:\n${run.output}`;
}

function runProcess(
  command: string,
  args: readonly string[],
  session: PageSession,
): Promise<BlockRun & { stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: session.dir, env: session.env, detached: true });
    let output = '';
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => ((stdout += d.toString()), (output += d.toString())));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => void stopGroup(child), BLOCK_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output, stdout });
    });
  });
}

function startBackground(
  session: PageSession,
  text: string,
  until: string,
): { child: ChildProcess; ready: Promise<string | undefined> } {
  const child = spawn('bash', ['-c', text], { cwd: session.dir, env: session.env, detached: true });
  let output = '';
  const ready = new Promise<string | undefined>((resolve) => {
    const timer = setTimeout(
      () => resolve(`\`${text}\` did not print "${until}" within 60 s:\n${output}`),
      60_000,
    );
    const onData = (d: Buffer): void => {
      output += d.toString();
      if (output.includes(until)) {
        clearTimeout(timer);
        resolve(undefined);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(`\`${text}\` exited ${code} before it printed "${until}":\n${output}`);
    });
  });
  return { child, ready };
}

/** SIGINT to the whole process group (npm, node and what they started), as Ctrl+C sends. */
function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined)
    return Promise.resolve();
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  try {
    process.kill(-child.pid, 'SIGINT');
  } catch {
    return Promise.resolve();
  }
  const force = setTimeout(() => {
    try {
      process.kill(-(child.pid ?? 0), 'SIGKILL');
    } catch {
      // already gone
    }
  }, 10_000);
  return closed.finally(() => clearTimeout(force));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
