import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { runDemoStory } from '../../cli/demo-story.ts';
import { DEMO_CONFIG_YAML, parseConfigText, startSimulator } from '../../simulator/index.ts';

/** The trainers' guide's pictures, by file name in docs/images/, and what each shows. */
export const TRAINER_SCREENSHOTS = {
  'dashboard.png': 'the board after `datasync-sim demo`',
  'trainers-presenter.png': 'presenter mode with the demo step, as a projector shows it',
  'trainers-file-bib.png': "a bib file's page: timeline, outcomes chart, reports and their rows",
  'trainers-file-lhr.png': "an LHR file's page with the replace-all effect",
  'trainers-worldcat.png': 'WorldCat at a glance: counts over time and who holds an OCN',
  'trainers-journal.png': 'the journal, one line per upload',
} as const;

/** Waits until no card is still gliding, so a picture never catches one between lanes. */
async function settle(page: Page): Promise<void> {
  await page.evaluate('Promise.all(document.getAnimations().map((a) => a.finished))');
}

/**
 * Runs the demo story on a fresh demo simulator and photographs the dashboard's views into
 * `outDir` (`npm run docs:screenshots` writes docs/images/). Returns the files written.
 */
export async function takeTrainerScreenshots(browser: Browser, outDir: string): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'datasync-sim-shots-'));
  const config = parseConfigText(DEMO_CONFIG_YAML, 'embedded demo configuration', {
    overrides: { dataDir, sftpPort: 0, adminPort: 0 },
    env: {},
  });
  const sim = await startSimulator(config);
  const shot = (name: keyof typeof TRAINER_SCREENSHOTS): string => join(outDir, name);
  try {
    await runDemoStory(sim, { pace: 'fast', workDir: join(dataDir, 'demo-library'), say: () => undefined });
    const board = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await board.goto(`${sim.adminUrl}/`);
    await board.locator('[data-testid="file-row"][data-file-name="1012677.pul.lhr-partial.mrc"]').waitFor();
    await board.getByRole('img', { name: /PUL holdings/ }).waitFor();
    await settle(board);
    await board.screenshot({ path: shot('dashboard.png') });
    await board.getByRole('region', { name: 'Journal' }).screenshot({ path: shot('trainers-journal.png') });
    const ocn = sim.worldcat.lhrs('PUL')[0]?.ocn ?? '';
    await board.getByLabel('Search by OCN').fill(ocn);
    await board.getByLabel('Search by OCN').press('Enter');
    await board.getByTestId('ocn-holder').first().waitFor();
    await board
      .getByRole('region', { name: 'WorldCat at a glance' })
      .screenshot({ path: shot('trainers-worldcat.png') });

    const files = sim.files.list();
    const bib = files.find((f) => f.name.endsWith('_new.mrc') && f.kind === 'bib');
    const lhr = files.find((f) => f.name === '1012677.pul.lhr-partial.mrc');
    const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
    await page.goto(`${sim.adminUrl}/files/${bib?.id ?? 0}`);
    await page.getByTestId('outcomes').waitFor();
    await page.screenshot({ path: shot('trainers-file-bib.png') });
    await page.goto(`${sim.adminUrl}/files/${lhr?.id ?? 0}`);
    await page.getByRole('img', { name: /Replace-all effect/ }).waitFor();
    await page.screenshot({ path: shot('trainers-file-lhr.png'), fullPage: true });

    const room = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await room.goto(`${sim.adminUrl}/?present=1`);
    await room.getByText('Demo step 7 of 7').waitFor();
    await settle(room);
    await room.screenshot({ path: shot('trainers-presenter.png') });
    for (const p of [board, page, room]) await p.close();
    return Object.keys(TRAINER_SCREENSHOTS).map((name) => join(outDir, name));
  } finally {
    await sim.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
