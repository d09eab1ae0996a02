import { readFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { describe, expect, it } from 'vitest';
import { GENERATED_REGIONS, regionOf, withRegion } from './reference-docs.ts';

const ROOT = new URL('../../', import.meta.url);

describe('generated references (npm run docs rewrites them)', () => {
  for (const region of GENERATED_REGIONS) {
    it(`${region.page} holds the current ${region.name}`, async () => {
      const page = new URL(region.page, ROOT);
      const text = readFileSync(page, 'utf8');
      expect(regionOf(text, region.name), `${region.page} lacks its ${region.name} markers`).toBeDefined();
      // Compared as prettier writes the page, since `npm run docs` formats what it wrote.
      const options = { ...(await resolveConfig(page.pathname)), parser: 'markdown' };
      const fresh = await format(withRegion(text, region.name, region.generate()), options);
      expect(regionOf(text, region.name), `run npm run docs`).toBe(regionOf(fresh, region.name));
    });
  }
});
