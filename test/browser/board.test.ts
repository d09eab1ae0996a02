import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../simulator/clock/clock.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startTestSimulator } from '../support/test-simulator.ts';
import {
  card,
  cardStates,
  openPage,
  recordCardStates,
  seriousViolations,
  SHOTS,
  bibs,
  sftpAsPul,
  useBrowser,
} from './browser-page.ts';

const browser = useBrowser();

describe('the pipeline board in Chromium', () => {
  it('follows OpenSSH uploads, good and bad, through the stages without a reload', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 15, 15));
    await using sim = await startTestSimulator({ pickupDelay: '1m' }, { clock });
    using dir = tempDir();
    writeFileSync(join(dir.path, 'books.mrc'), bibs(20_000, 9));
    writeFileSync(join(dir.path, 'bad.mrc'), bibs(2, 1));
    const page = await openPage(browser(), sim.adminUrl);
    const pipeline = page.getByRole('region', { name: 'Pipeline' });
    for (const lane of ['Received', 'Queued', 'Processing', 'Processed', 'Failed', 'Refused']) {
      await pipeline.getByRole('list', { name: lane, exact: true }).waitFor({ state: 'attached' });
    }
    await recordCardStates(page);

    const put = await sftpAsPul(sim, dir.path, [
      'put books.mrc metacoll/in/bib/1012676.pul.books.mrc',
      '-put bad.mrc "metacoll/in/bib/1012676.pul.bad name.mrc"',
    ]);
    expect(put.code, put.stderr).toBe(0);
    const good = card(page, '1012676.pul.books.mrc');
    await expect.poll(() => good.getAttribute('data-state')).toBe('received');
    expect(await pipeline.getByRole('list', { name: 'Received', exact: true }).textContent()).toContain(
      '1012676.pul.books.mrc',
    );
    expect(await good.textContent()).toMatch(/fx_pul · \d+(\.\d)? MB/);

    const refused = card(page, '1012676.pul.bad name.mrc');
    await expect.poll(() => refused.getAttribute('data-state')).toBe('refused');
    expect(await pipeline.getByRole('list', { name: 'Refused', exact: true }).textContent()).toContain(
      'spaces are not allowed',
    );

    const queued = sim.waitFor('file:queued');
    clock.advance(60_000);
    await queued;
    await expect.poll(() => good.getAttribute('data-state')).toBe('queued');
    await sim.processing.run();
    await expect.poll(() => good.getAttribute('data-state'), { timeout: 60_000 }).toBe('processed');
    // OpenSSH's writes may be seen while they last (receiving); then each stage, none skipped.
    const states = await cardStates(page, '1012676.pul.books.mrc');
    expect(states.filter((state) => state !== 'receiving')).toEqual([
      'received',
      'queued',
      'processing',
      'processed',
    ]);
    expect(await good.textContent()).toContain('20000 records');
    await page.screenshot({ path: new URL('board.png', SHOTS).pathname, fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  }, 120_000);
});

describe('the dashboard around the board', () => {
  it('uploads from the browser, and shows the rule when a name is refused', async () => {
    await using sim = await startTestSimulator();
    const page = await openPage(browser(), sim.adminUrl);
    const upload = page.getByRole('region', { name: 'Upload a file' });
    await upload.getByLabel('File', { exact: true }).setInputFiles({
      name: '1012676.pul.upload.mrc',
      mimeType: 'application/octet-stream',
      buffer: bibs(3, 1),
    });
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await expect.poll(() => card(page, '1012676.pul.upload.mrc').getAttribute('data-state')).toBe('queued');

    await page.getByLabel('Upload as').fill('1012676.pul.bad name.mrc');
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    const alert = page.getByTestId('upload-error');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('spaces are not allowed');
    await expect
      .poll(() => card(page, '1012676.pul.bad name.mrc').getAttribute('data-state'))
      .toBe('refused');
    await page.close();
  });

  it('asks for the admin token once and keeps it for the tab', async () => {
    const adminToken = 'a-token-of-twenty-chars';
    await using sim = await startTestSimulator({ admin: { host: '127.0.0.1', port: 0, token: adminToken } });
    const page = await openPage(browser(), sim.adminUrl);
    await page.getByLabel('Admin token').fill(adminToken);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Institutions' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Institutions' }).waitFor();
    expect(await page.getByLabel('Admin token').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('reaches every link and control with the keyboard alone', async () => {
    await using sim = await startTestSimulator({ processing: 'immediate' });
    const processed = sim.waitFor('file:processed');
    await sim.upload('PUL', '1012676.pul.keys.mrc', bibs(3, 3));
    await processed;
    const page = await openPage(browser(), sim.adminUrl);
    await card(page, '1012676.pul.keys.mrc').waitFor();
    const focusable = await page.evaluate<number>(
      `[...document.querySelectorAll('a[href], button:not([disabled]), input, select, summary')]
        .filter((el) => el.offsetParent !== null).length`,
    );
    const reached = new Set<string>();
    for (let i = 0; i < focusable + 5; i++) {
      await page.keyboard.press('Tab');
      reached.add(await page.evaluate<string>(`document.activeElement?.outerHTML.slice(0, 120) ?? ''`));
    }
    expect(reached.size).toBeGreaterThanOrEqual(focusable);
    // The card's link opens the file's page from the keyboard.
    await card(page, '1012676.pul.keys.mrc').getByRole('link').focus();
    await page.keyboard.press('Enter');
    await page.getByRole('img', { name: /outcomes/ }).waitFor();
    await page.close();
  });
});
