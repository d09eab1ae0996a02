import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkFile } from '../../index.ts';
import { runCli } from '../support/run-cli.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const README = readFileSync(new URL('README.md', `file://${ROOT}`), 'utf8');

function section(title: string): string {
  const start = README.indexOf(`## ${title}`);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end === -1 ? undefined : end);
}

/** Splits a documented command line: words, and double-quoted words with spaces. */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
}

describe('README "Check before you send"', () => {
  it('the example run prints exactly what the README shows', async () => {
    const [block = ''] = [...section('Check before you send').matchAll(/```sh\n([\s\S]*?)```/g)].map(
      (m) => m[1],
    );
    const [command = '', ...expected] = block.split('\n');
    const [program, ...args] = words(command.replace(/^\$ /, ''));
    expect(program).toBe('datasync-sim');
    const result = await runCli(args, { cwd: ROOT });
    expect(result.stdout).toBe(expected.join('\n'));
    expect(result.code).toBe(3);
  });

  it('the CI snippet uses flags the command has', async () => {
    const [yaml = ''] = [...section('Check before you send').matchAll(/```yaml\n([\s\S]*?)```/g)].map(
      (m) => m[1],
    );
    const help = (await runCli(['check', '--help'])).stdout;
    const flags = [...yaml.matchAll(/ (--[a-z-]+)/g)].map((m) => m[1] ?? '');
    expect(flags).toEqual(['--symbol', '--config', '--format', '--out']);
    for (const flag of flags) expect(help).toContain(flag);
    expect(yaml).toContain('--format junit');
  });

  it('checkFile from the library entry returns the structured result', async () => {
    const clean = await checkFile(`${ROOT}scenarios/fixtures/bib-day1.mrc`, { symbol: 'PUL' });
    expect(clean).toMatchObject({ records: 3, accepted: 3, refused: 0, ok: true, problems: [] });
    const broken = await checkFile(`${ROOT}scenarios/fixtures/lhr-broken.mrc`, { symbol: 'PUL' });
    expect(broken).toMatchObject({ kind: 'lhr', records: 12, refused: 5, ok: false });
    expect(broken.byReason['852 $b (holding library) is missing.']).toBe(1);
  });
});
