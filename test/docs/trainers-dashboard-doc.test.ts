import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LANES } from '../../simulator/admin/dashboard/pipeline-lanes.ts';
import { TRAINER_SCREENSHOTS } from '../browser/trainer-screenshots.ts';

const root = new URL('../../', import.meta.url);
const page = readFileSync(new URL('docs/trainers-dashboard.md', root), 'utf8');
const scripts = (
  JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { scripts: Record<string, string> }
).scripts;

describe('docs/trainers-dashboard.md', () => {
  it('shows every picture npm run docs:screenshots takes, and each one exists', () => {
    const shown = [...page.matchAll(/!\[[^\]]+\]\(images\/([^)]+)\)/g)].map((m) => m[1]);
    expect(shown.sort()).toEqual(Object.keys(TRAINER_SCREENSHOTS).sort());
    for (const name of shown) expect(existsSync(new URL(`docs/images/${name}`, root)), name).toBe(true);
    expect(scripts['docs:screenshots']).toBe('tsx test/browser/write-trainer-screenshots.ts');
  });

  it("names the board's lists as the board does, in its order", () => {
    const board = page.split('## The board')[1]?.split('\n## ')[0] ?? '';
    const named = [...board.matchAll(/\*\*([A-Z][a-z]+(?: [a-z]+)?)\*\*/g)].map((m) => m[1]);
    expect(named.filter((n) => (LANES as readonly (string | undefined)[]).includes(n))).toEqual([...LANES]);
  });

  it('quotes only commands that are run elsewhere, each marked for the doc tests', () => {
    const blocks = [...page.matchAll(/(<!-- doc-test: [^\n]+ -->\n\n)?```sh\n([^`]*)```/g)];
    expect(blocks.map((b) => b[2]?.trim())).toEqual(['npm run docs:screenshots']);
    expect(blocks.every((b) => b[1]?.includes('test/browser/presenter-and-demo.test.ts'))).toBe(true);
  });
});
