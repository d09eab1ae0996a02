import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateLhrRecords } from '../../oclc/marc/generate-lhr-records.ts';
import { ManualClock } from '../../simulator/clock/clock.ts';
import { runOpenSshSftp } from '../support/openssh-sftp.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startTestSimulator } from '../support/test-simulator.ts';
import { card, openPage, seriousViolations, SHOTS, bibs, sftpAsPul, useBrowser } from './browser-page.ts';

const browser = useBrowser();

describe('the file page in Chromium', () => {
  it("opens each file's page from its card: timeline, outcomes chart, paged report rows, downloads", async () => {
    await using sim = await startTestSimulator({ processing: 'immediate' });
    using dir = tempDir();
    writeFileSync(join(dir.path, 'books.mrc'), bibs(120, 9));
    const page = await openPage(browser(), sim.adminUrl);
    await page.getByRole('region', { name: 'Pipeline' }).waitFor();
    const processed = sim.waitFor('file:processed');
    expect(
      (await sftpAsPul(sim, dir.path, ['put books.mrc metacoll/in/bib/1012676.pul.books.mrc'])).code,
    ).toBe(0);
    const file = await processed;
    const good = card(page, '1012676.pul.books.mrc');
    await expect.poll(() => good.getAttribute('data-state')).toBe('processed');

    await good.getByRole('link', { name: '1012676.pul.books.mrc' }).click();
    await page.waitForURL(`**/files/${file.id}`);
    await page.getByRole('heading', { level: 1, name: '1012676.pul.books.mrc' }).waitFor();
    const timeline = page.getByTestId('timeline').locator('li');
    await expect
      .poll(() => timeline.evaluateAll((els) => els.map((e) => e.getAttribute('data-state'))))
      .toEqual(['receiving', 'received', 'queued', 'processing', 'processed']);
    expect(await timeline.last().textContent()).toMatch(/simulated.+\d.+real.+\d/);

    const actions = file.summary?.actions ?? {};
    const chart = page.getByRole('img', { name: /outcomes/ });
    const name = (await chart.getAttribute('aria-label')) ?? '';
    for (const action of ['match', 'create', 'unresolved']) {
      expect(name).toContain(`${action} ${actions[action] ?? 0}`);
    }
    expect(await chart.locator('.axis-label').textContent()).toBe('records');

    const rows = page.getByTestId('outcomes').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(50);
    expect(await page.getByTestId('outcomes').locator('caption').textContent()).toBe(
      'Report rows 1–50 of 120',
    );
    await page.getByRole('button', { name: 'Next rows' }).click();
    await expect
      .poll(() => page.getByTestId('outcomes').locator('caption').textContent())
      .toBe('Report rows 51–100 of 120');
    await page.screenshot({ path: new URL('file-page.png', SHOTS).pathname, fullPage: true });
    const downloaded = page.waitForEvent('download');
    await page.getByRole('button', { name: /BibProcessingReport/ }).click();
    const download = await downloaded;
    expect(download.suggestedFilename()).toMatch(/\.BibProcessingReport\.txt$/);
    expect(
      readFileSync((await download.path()) as string, 'utf8')
        .split('\n')
        .filter(Boolean),
    ).toHaveLength(120);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'Board' }).click();
    await page.waitForURL(sim.adminUrl + '/');
    await card(page, '1012676.pul.books.mrc').waitFor();
    await page.close();
  }, 120_000);

  it('shows a refused name on its page with the rule and the fix', async () => {
    await using sim = await startTestSimulator();
    using dir = tempDir();
    writeFileSync(join(dir.path, 'f.mrc'), 'x');
    const page = await openPage(browser(), sim.adminUrl);
    await page.getByRole('region', { name: 'Pipeline' }).waitFor();
    await runOpenSshSftp({
      sim,
      user: 'fx_ab_64',
      password: 'ab-secret',
      batch: ['-put f.mrc metacoll/in/bib/1234567.ab@.books.mrc'],
      dir: dir.path,
    });
    const refused = card(page, '1234567.ab@.books.mrc');
    await expect.poll(() => refused.getAttribute('data-state')).toBe('refused');
    expect(await refused.textContent()).toContain('1234567.ab_64.books.mrc');
    await refused.getByRole('link').click();
    expect(await page.getByTestId('violations').textContent()).toContain('unencoded-special-character');
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it("shows an LHR file's replace-all effect: a partial set removes the copies it leaves out", async () => {
    await using sim = await startTestSimulator({ processing: 'immediate' });
    const copies = [...generateLhrRecords({ count: 3, copiesPerOcn: 3, seed: 5, symbol: 'PUL' })];
    let processed = sim.waitFor('file:processed');
    await sim.upload('PUL', '1012677.pul.full.mrc', Buffer.concat(copies.map((c) => c.bytes)));
    await processed;
    processed = sim.waitFor('file:processed');
    await sim.upload('PUL', '1012677.pul.partial.mrc', copies[0]?.bytes ?? Buffer.alloc(0));
    const partial = await processed;
    const page = await openPage(browser(), `${sim.adminUrl}/files/${partial.id}`);
    const chart = page.getByRole('img', { name: /Replace-all effect/ });
    await chart.waitFor();
    expect(await chart.getAttribute('aria-label')).toBe(
      'Replace-all effect on the LHRs: added 0, replaced 1, deleted 0, removed by replace-all 2',
    );
    expect(await page.getByRole('img', { name: /outcomes/ }).getAttribute('aria-label')).toContain(
      'replace 1',
    );
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('answers an unknown file id with a message, not a blank page', async () => {
    await using sim = await startTestSimulator();
    const page = await openPage(browser(), `${sim.adminUrl}/files/999`);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('no upload has that id');
    await page.close();
  });
});

describe('WorldCat at a glance and the journal', () => {
  it('charts holdings and LHRs over simulated time and tells who holds an OCN and why, keyboard only', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 15, 15));
    await using sim = await startTestSimulator({ processing: 'immediate' }, { clock });
    let processed = sim.waitFor('file:processed');
    await sim.upload('PUL', '1012676.pul.first.mrc', bibs(5, 4));
    const first = await processed;
    clock.advance(3_600_000);
    processed = sim.waitFor('file:processed');
    await sim.upload('PUL', '1012676.pul.second.mrc', bibs(8, 5));
    await processed;
    const holdings = sim.worldcat.holdings('PUL');
    const page = await openPage(browser(), sim.adminUrl);
    const chart = page.getByRole('img', { name: /PUL holdings and LHRs over simulated time/ });
    await expect
      .poll(() => chart.getAttribute('aria-label'))
      .toContain(`now holdings ${holdings.length}, LHRs 0`);
    expect(await chart.locator('.axis-label').allTextContents()).toEqual(['simulated time', 'count']);

    const ocn =
      sim.worldcat.whoHolds(holdings[0] ?? '', ['PUL']).holders[0]?.holding?.setBy?.id === first.id
        ? (holdings[0] ?? '')
        : (holdings.find(
            (o) => sim.worldcat.whoHolds(o, ['PUL']).holders[0]?.holding?.setBy?.id === first.id,
          ) ?? '');
    await page.getByLabel('Search by OCN').focus();
    await page.keyboard.type(`(OCoLC)${ocn}`);
    await page.keyboard.press('Enter');
    const holder = page.getByTestId('ocn-holder');
    await expect.poll(() => holder.getAttribute('data-symbol')).toBe('PUL');
    expect(await holder.textContent()).toContain('holds it, set by 1012676.pul.first.mrc');
    await page.screenshot({ path: new URL('worldcat.png', SHOTS).pathname, fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('reads as one line per upload, hides SFTP operations unless asked, and filters by file', async () => {
    await using sim = await startTestSimulator({ processing: 'immediate' });
    using dir = tempDir();
    writeFileSync(join(dir.path, 'a.mrc'), bibs(3, 1));
    const page = await openPage(browser(), sim.adminUrl);
    await page.getByRole('region', { name: 'Journal' }).waitFor();
    let processed = sim.waitFor('file:processed');
    expect((await sftpAsPul(sim, dir.path, ['put a.mrc metacoll/in/bib/1012676.pul.a.mrc'])).code).toBe(0);
    const a = await processed;
    processed = sim.waitFor('file:processed');
    expect((await sftpAsPul(sim, dir.path, ['put a.mrc metacoll/in/bib/1012676.pul.b.mrc'])).code).toBe(0);
    await processed;
    const journal = page.getByRole('region', { name: 'Journal' });
    const stories = journal.getByTestId('journal-story');
    await expect.poll(() => stories.count()).toBe(2);
    expect(await stories.first().textContent()).toContain('1012676.pul.b.mrc');
    expect(await stories.last().textContent()).toMatch(
      /1012676\.pul\.a\.mrc from fx_pul: .*received → queued → processing → processed/,
    );
    expect(await journal.locator('[data-type="sftp:operation"]').count()).toBe(0);

    await journal.getByLabel('Show SFTP operations').check();
    await expect.poll(() => journal.locator('[data-type="sftp:operation"]').count()).toBeGreaterThan(0);
    await journal.getByLabel('File').selectOption(String(a.id));
    await expect.poll(() => stories.count()).toBe(1);
    expect(await stories.textContent()).toContain('1012676.pul.a.mrc');
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  }, 60_000);
});
