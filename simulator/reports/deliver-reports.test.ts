import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/temp-dir.ts';
import { deliverReports } from './deliver-reports.ts';

const BASE = 'PUL-PUL.1012676.IN.BIB.D20230712.T115712289.1012676.pul.non-pcc_27837389230006421_new.mrc';
const KINDS = [
  'BibCrossRefReport',
  'BibExceptionReport',
  'BibProcessingReport',
  'BibUnresolvedCrossRefReport',
  'LbdProcessingReport',
];

describe('deliverReports', () => {
  it('delivers the processing report last, so a client that sees it finds the whole set', () => {
    using dir = tempDir();
    const from = join(dir.path, 'work');
    mkdirSync(from);
    for (const kind of KINDS) writeFileSync(join(from, `${BASE}.${kind}.txt`), '');
    const delivered = deliverReports(from, [join(dir.path, 'reports')]);
    expect(delivered.at(-1)).toBe(`${BASE}.BibProcessingReport.txt`);
    expect(readdirSync(join(dir.path, 'reports')).sort()).toEqual(delivered.slice().sort());
  });

  it("names a rerun's copies with the counter after the uploaded name", () => {
    using dir = tempDir();
    const from = join(dir.path, 'work');
    mkdirSync(from);
    writeFileSync(join(from, `${BASE}.BibExceptionReport.txt`), '');
    expect(deliverReports(from, [join(dir.path, 'reports')], 2)).toEqual([
      `${BASE}_2.BibExceptionReport.txt`,
    ]);
  });
});
