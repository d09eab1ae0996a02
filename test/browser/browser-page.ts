import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { generateBibRecords } from '../../oclc/marc/generate-bib-records.ts';
import { buildDashboard } from '../../simulator/admin/build-dashboard.ts';
import { DASHBOARD_DIR } from '../../simulator/admin/dashboard-assets.ts';
import { runOpenSshSftp } from '../support/openssh-sftp.ts';
import { requireTools } from '../support/require-tool.ts';
import type { TestSimulator } from '../support/test-simulator.ts';

/** Where the tests leave their screenshots (the trainers' guide's come from docs/images). */
export const SHOTS = new URL('../../test-results/screenshots/', import.meta.url);
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Debian's Chromium through playwright-core, with a freshly built dashboard. */
export async function launchBrowser(): Promise<Browser> {
  requireTools('chromium');
  await buildDashboard(DASHBOARD_DIR);
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
}

export async function openPage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(url);
  return page;
}

/** A file's card on the board (the pinned test hook). */
export const card = (page: Page, name: string) =>
  page.locator(`[data-testid="file-row"][data-file-name="${name}"]`);

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run: () => Promise<{
            violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
          }>;
        };
      }
    ).axe;
    return (await axe.run()).violations;
  });
  return result
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/**
 * Records every data-state a card takes, from inside the page, so a test sees transient stages
 * (a file is "processing" only briefly) and knows the page never reloaded (the log would be gone).
 * A string, because the browser's DOM types are not the Node tests' types.
 */
const RECORD_CARD_STATES = `(() => {
  const log = {};
  globalThis.cardStates = log;
  const note = (el) => {
    const name = el.getAttribute('data-file-name');
    const state = el.getAttribute('data-state');
    if (!name || !state) return;
    const seen = (log[name] ??= []);
    if (seen.at(-1) !== state) seen.push(state);
  };
  document.querySelectorAll('[data-testid="file-row"]').forEach(note);
  new MutationObserver((records) => {
    for (const r of records) {
      for (const node of [r.target, ...r.addedNodes]) {
        if (!(node instanceof Element)) continue;
        if (node.matches('[data-testid="file-row"]')) note(node);
        node.querySelectorAll('[data-testid="file-row"]').forEach(note);
      }
    }
  }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
})()`;

export async function recordCardStates(page: Page): Promise<void> {
  await page.evaluate(RECORD_CARD_STATES);
}

/** The computed font size in CSS pixels of the first element `selector` finds. */
export async function fontSize(page: Page, selector: string): Promise<number> {
  return page.evaluate(
    `parseFloat(getComputedStyle(document.querySelector(${JSON.stringify(selector)})).fontSize)`,
  );
}

export async function cardStates(page: Page, name: string): Promise<string[]> {
  return page.evaluate(
    (n) => (globalThis as unknown as { cardStates?: Record<string, string[]> }).cardStates?.[n] ?? [],
    name,
  );
}

/** A bib file of `count` generated records. */
export const bibs = (count: number, seed: number): Buffer =>
  Buffer.concat([...generateBibRecords({ count, seed })].map((r) => r.bytes));

/** Puts local files through the real OpenSSH `sftp` as PUL; refusals are the test's to read. */
export function sftpAsPul(sim: TestSimulator, dir: string, batch: string[]) {
  return runOpenSshSftp({ sim, user: 'fx_pul', password: 'pul-secret', batch, dir, timeoutMs: 60_000 });
}

/** One Chromium for a test file, launched before its tests and closed after; call at top level. */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    requireTools('sftp', 'sshpass');
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('the browser is not launched yet');
    return browser;
  };
}
