import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startCli } from '../support/run-cli.ts';
import { TRAINER_SCREENSHOTS, takeTrainerScreenshots } from './trainer-screenshots.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startTestSimulator } from '../support/test-simulator.ts';
import { card, fontSize, openPage, seriousViolations, SHOTS, bibs, useBrowser } from './browser-page.ts';

const browser = useBrowser();

describe('presenter mode', () => {
  it('/?present=1 reads from across a room: 20 px or more, no serious axe violations, the demo step shown', async () => {
    await using sim = await startTestSimulator({ processing: 'immediate' });
    const processed = sim.waitFor('file:processed');
    await sim.upload('PUL', '1012676.pul.books.mrc', bibs(10, 2));
    const file = await processed;
    const page = await openPage(browser(), `${sim.adminUrl}/?present=1`);
    await card(page, '1012676.pul.books.mrc').waitFor();
    const size = await fontSize(page, 'body');
    expect(size).toBeGreaterThanOrEqual(20);
    const cardSize = await fontSize(page, '[data-testid="file-row"] .card-meta');
    expect(cardSize).toBeGreaterThanOrEqual(18);
    expect(await page.getByRole('region', { name: 'Controls' }).count()).toBe(0);

    sim.events.emit('demo:step', {
      step: 3,
      total: 7,
      title: 'The reports are fetched and read',
      why: 'OCLC answers with reports.',
    });
    const banner = page.getByTestId('demo-step');
    await expect.poll(() => banner.textContent()).toContain('Demo step 3 of 7');
    expect(await banner.textContent()).toContain('The reports are fetched and read');
    await page.screenshot({ path: new URL('presenter.png', SHOTS).pathname, fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);

    await card(page, '1012676.pul.books.mrc').getByRole('link').click();
    await page.waitForURL(`**/files/${file.id}?present=1`);
    await page.getByRole('img', { name: /outcomes/ }).waitFor();
    expect(await fontSize(page, 'body')).toBeGreaterThanOrEqual(20);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });
});

describe('datasync-sim demo on the board', () => {
  it('shows each step of the story live, in presenter mode, as the terminal tells it', async () => {
    using dir = tempDir();
    const demo = await startCli(
      [
        'demo',
        '--pace',
        'normal',
        '--no-open',
        '--sftp-port',
        '0',
        '--admin-port',
        '0',
        '--data-dir',
        dir.path,
      ],
      /^dashboard: http:\/\/\S+\/$/m,
    );
    try {
      const url = /^dashboard: (http:\/\/\S+)\/$/m.exec(demo.output())?.[1] ?? '';
      const page = await openPage(browser(), `${url}/?present=1`);
      await page.getByRole('region', { name: 'Pipeline' }).waitFor();
      await page.evaluate(`(() => {
        const seen = (globalThis.demoSteps = []);
        const banner = document.querySelector('[data-testid="demo-step"]');
        const note = () => {
          const step = /Demo step (\\d+) of/.exec(banner.textContent ?? '')?.[1];
          if (step && seen.at(-1) !== Number(step)) seen.push(Number(step));
        };
        note();
        new MutationObserver(note).observe(banner, { subtree: true, childList: true, characterData: true });
      })()`);
      const banner = page.getByTestId('demo-step');
      await expect.poll(() => banner.textContent(), { timeout: 90_000 }).toContain('Demo step 7 of 7');
      expect(await banner.textContent()).toContain('Grouping prevents it');
      const seen = await page.evaluate<number[]>('globalThis.demoSteps');
      // The board followed the story without a reload: later steps came in order, as events.
      expect(seen.length).toBeGreaterThanOrEqual(3);
      expect([...seen].sort((a, b) => a - b)).toEqual(seen);
      expect(demo.output()).toContain('7. Grouping prevents it');
      await card(page, '1012677.pul.lhr-partial.mrc').waitFor();
      await page.screenshot({ path: new URL('demo-presenter.png', SHOTS).pathname, fullPage: true });
      await page.close();
    } finally {
      demo.child.kill('SIGINT');
      await demo.exited;
    }
  }, 150_000);
});

describe("the trainers' guide's screenshots", () => {
  it('npm run docs:screenshots photographs every view the guide shows, from a real demo run', async () => {
    using dir = tempDir();
    const files = await takeTrainerScreenshots(browser(), dir.path);
    expect(files.map((f) => f.slice(dir.path.length + 1))).toEqual(Object.keys(TRAINER_SCREENSHOTS));
    for (const file of files) {
      const png = readFileSync(file);
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      // IHDR width: every picture is at least a laptop screen's width of a region.
      expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(400);
    }
  }, 150_000);
});
