import { fileURLToPath } from 'node:url';
import { launchBrowser } from './browser-page.ts';
import { takeTrainerScreenshots } from './trainer-screenshots.ts';

/** `npm run docs:screenshots`: the trainers' guide's pictures, taken anew in Debian's Chromium. */
const outDir = process.argv[2] ?? fileURLToPath(new URL('../../docs/images/', import.meta.url));
const browser = await launchBrowser();
try {
  for (const file of await takeTrainerScreenshots(browser, outDir)) process.stdout.write(`wrote ${file}\n`);
} finally {
  await browser.close();
}
