import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateBibRecords } from '../../oclc/marc/generate-bib-records.ts';
import { generateLhrRecords } from '../../oclc/marc/generate-lhr-records.ts';
import { buildDashboard } from '../../simulator/admin/build-dashboard.ts';
import { DASHBOARD_DIR } from '../../simulator/admin/dashboard-assets.ts';
import { requireTools } from '../support/require-tool.ts';
import { connectAs } from '../support/sftp-test-client.ts';
import { startTestSimulator } from '../support/test-simulator.ts';

const SHOTS = new URL('../../test-results/screenshots/', import.meta.url);
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const bibs = (count: number, seed: number): Buffer =>
  Buffer.concat([...generateBibRecords({ count, seed })].map((r) => r.bytes));

let browser: Browser;

beforeAll(async () => {
  requireTools('chromium');
  await buildDashboard(DASHBOARD_DIR);
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

async function open(url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(url);
  return page;
}

const row = (page: Page, name: string) => page.locator(`[data-testid="file-row"][data-file-name="${name}"]`);

async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run: () => Promise<{ violations: { id: string; impact: string; help: string }[] }> };
      }
    ).axe;
    return (await axe.run()).violations;
  });
  return result
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help}`);
}

describe('the dashboard in Chromium', () => {
  it('shows an SFTP upload moving to processed without a reload, its report rows and a report download', async () => {
    await using sim = await startTestSimulator({ processing: 'immediate' });
    const page = await open(sim.adminUrl);
    await page.getByRole('heading', { name: 'Files' }).waitFor();
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    await client.put('metacoll/in/bib/1012676.pul.books.mrc', bibs(40, 9));
    await expect.poll(() => row(page, '1012676.pul.books.mrc').getAttribute('data-state')).toBe('processed');
    await page.screenshot({ path: new URL('timeline.png', SHOTS).pathname, fullPage: true });

    await row(page, '1012676.pul.books.mrc').getByRole('button').click();
    const filePage = page.getByTestId('file-page');
    await filePage.getByTestId('outcomes').locator('tbody tr').first().waitFor();
    expect(await filePage.getByTestId('outcomes').locator('tbody tr').count()).toBe(40);
    await page.screenshot({ path: new URL('file-page.png', SHOTS).pathname, fullPage: true });
    const downloaded = page.waitForEvent('download');
    await filePage.getByRole('button', { name: /BibProcessingReport/ }).click();
    const download = await downloaded;
    expect(download.suggestedFilename()).toMatch(/\.BibProcessingReport\.txt$/);
    const text = readFileSync((await download.path()) as string, 'utf8');
    expect(text.split('\n').filter(Boolean)).toHaveLength(40);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('shows a refused name with the rule and the fix', async () => {
    await using sim = await startTestSimulator();
    const page = await open(sim.adminUrl);
    await page.getByRole('heading', { name: 'Files' }).waitFor();
    await using client = await connectAs(sim, 'fx_ab_64', 'ab-secret');
    await client.put('metacoll/in/bib/1234567.ab@.books.mrc', 'x').catch(() => undefined);
    const refused = row(page, '1234567.ab@.books.mrc');
    await expect.poll(() => refused.getAttribute('data-state')).toBe('refused');
    expect(await refused.textContent()).toContain('1234567.ab_64.books.mrc');
    await refused.getByRole('button').click();
    expect(await page.getByTestId('violations').textContent()).toContain('unencoded-special-character');
    await page.close();
  });

  it('uploads from the browser, and shows the rule when a name is refused', async () => {
    await using sim = await startTestSimulator();
    const page = await open(sim.adminUrl);
    await page.getByLabel('File', { exact: true }).setInputFiles({
      name: '1012676.pul.upload.mrc',
      mimeType: 'application/octet-stream',
      buffer: bibs(3, 1),
    });
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await expect.poll(() => row(page, '1012676.pul.upload.mrc').getAttribute('data-state')).toBe('queued');

    await page.getByLabel('Upload as').fill('1012676.pul.bad name.mrc');
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    const alert = page.getByTestId('upload-error');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('spaces are not allowed');
    await expect.poll(() => row(page, '1012676.pul.bad name.mrc').getAttribute('data-state')).toBe('refused');
    await page.close();
  });

  it('finds an OCN in the holdings search, keyboard only', async () => {
    await using sim = await startTestSimulator({ processing: 'immediate' });
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    const processed = sim.waitFor('file:processed');
    await client.put('metacoll/in/bib/1012676.pul.h.mrc', bibs(5, 4));
    await processed;
    const [ocn] = sim.worldcat.holdings('PUL');
    const page = await open(sim.adminUrl);
    await page.getByLabel('Search by OCN').focus();
    await page.keyboard.type(ocn ?? 'none');
    const holdings = page.getByTestId('holdings').locator('li');
    await expect.poll(() => holdings.allTextContents()).toEqual([ocn]);
    await page.screenshot({ path: new URL('holdings.png', SHOTS).pathname, fullPage: true });
    await page.close();
  });

  it('lists the LHRs of a searched OCN, with their copies and the file they came from', async () => {
    await using sim = await startTestSimulator({ processing: 'immediate' });
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    const processed = sim.waitFor('file:processed');
    const copies = [...generateLhrRecords({ count: 6, copiesPerOcn: 2, seed: 3, symbol: 'PUL' })];
    await client.put('metacoll/in/lhr/1012677.pul.lhr.mrc', Buffer.concat(copies.map((r) => r.bytes)));
    await processed;
    const [first] = sim.worldcat.lhrs('PUL');
    const ocn = first?.ocn ?? 'none';
    // The search matches OCNs containing what was typed, as the holdings list does.
    const expected = sim.worldcat
      .lhrs('PUL')
      .filter((l) => l.ocn.includes(ocn))
      .map((l) => l.lsn);
    expect(expected.length).toBeGreaterThanOrEqual(2);
    const page = await open(sim.adminUrl);
    await page.getByLabel('Search by OCN').focus();
    await page.keyboard.type(ocn);
    const rows = page.getByTestId('lhr-row');
    await expect.poll(() => rows.locator('td:nth-child(2)').allTextContents()).toEqual(expected);
    expect(await rows.first().locator('td:last-child').textContent()).toBe('1012677.pul.lhr.mrc');
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('asks for the admin token once and keeps it for the tab', async () => {
    const adminToken = 'a-token-of-twenty-chars';
    await using sim = await startTestSimulator({ admin: { host: '127.0.0.1', port: 0, token: adminToken } });
    const page = await open(sim.adminUrl);
    await page.getByLabel('Admin token').fill(adminToken);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Institutions' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Institutions' }).waitFor();
    expect(await page.getByLabel('Admin token').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });
});
