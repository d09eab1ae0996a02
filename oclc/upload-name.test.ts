import { describe, expect, it } from 'vitest';
import {
  checkUploadName,
  describeNameCheck,
  isTemporaryUploadName,
  parseUploadName,
  type UploadNameContext,
} from './upload-name.ts';

const PUL: UploadNameContext = {
  symbols: ['PUL'],
  collectionIds: ['1012676'],
  defaultCollectionId: '1012676',
};
const AB: UploadNameContext = {
  symbols: ['AB@'],
  collectionIds: ['1234567'],
  defaultCollectionId: '1234567',
};

function contextFor(symbol: string, id: string): UploadNameContext {
  return { symbols: [symbol], collectionIds: [id], defaultCollectionId: id };
}

describe('checkUploadName accepts the real names libraries uploaded', () => {
  it.each([
    ['1234567.zzzzz.bibs.20200101.mrc', 'zzzzz', '1234567'],
    ['1013406.OURLIB.bibholdings20181117.01.mrc', 'OURLIB', '1013406'],
    ['1023505.cnedm.bibholdings.201709110.mrc', 'CNEDM', '1023505'],
    ['1030040.WYZBL.wyld.1.mrc', 'WYZBL', '1030040'],
    ['1012676.pul.non-pcc_28150407720006421_new.mrc', 'PUL', '1012676'],
    ['1012672.e8w.bib_20250519_040511.mrc', 'E8W', '1012672'],
    ['1042671.NYP.20220803.StreamlinedHoldings.OCNs.file6.mrc', 'NYP', '1042671'],
    ['1031465.UMMBL.deletes.20200101.csv', 'UMMBL', '1031465'],
    ['1234567.ab_64.bibs.xml', 'AB@', '1234567'],
    ['1234567.a_36b.bibs.MRC', 'A$B', '1234567'],
  ])('%s', (name, symbol, id) => {
    const check = checkUploadName(name, contextFor(symbol, id));
    expect(check).toMatchObject({ ok: true });
  });
});

describe('checkUploadName refuses each broken rule with a code and a fixed name', () => {
  it.each([
    [
      '1234567.ab@.bibs.mrc',
      AB,
      'unencoded-special-character',
      "'@' in the symbol must be written '_64'",
      '1234567.ab_64.bibs.mrc',
    ],
    [
      '1012676.pul.bibs#1.mrc',
      PUL,
      'unencoded-special-character',
      "'#' in a file name must be written '_35'",
      '1012676.pul.bibs_351.mrc',
    ],
    [
      '1012676.pul.my bibs.mrc',
      PUL,
      'space',
      'spaces are not allowed in file names',
      '1012676.pul.my_bibs.mrc',
    ],
    ['1012676.pul.bibs!(1).mrc', PUL, 'invalid-character', "found '!', '(', ')'", '1012676.pul.bibs1.mrc'],
    ['.1012676.pul.bibs.mrc', PUL, 'leading-character', "must not start with '.'", '1012676.pul.bibs.mrc'],
    ['_1012676.pul.bibs.mrc', PUL, 'leading-character', "must not start with '_'", '1012676.pul.bibs.mrc'],
    ['1012676.pul..bibs.mrc', PUL, 'empty-element', 'single periods', '1012676.pul.bibs.mrc'],
    ['1012676.pul.bibs.marc', PUL, 'extension', "not '.marc'", '1012676.pul.bibs.mrc'],
    ['1012676.pul.bibs', PUL, 'extension', 'the extension must be', '1012676.pul.bibs.mrc'],
    ['pul.bibs.mrc', PUL, 'collection-id-missing', '7-digit collection ID', '1012676.pul.bibs.mrc'],
    [
      '101267.pul.bibs.mrc',
      PUL,
      'collection-id-malformed',
      'must be 7 digits, got 6',
      '1012676.pul.bibs.mrc',
    ],
    [
      '9999999.pul.bibs.mrc',
      PUL,
      'collection-id-unknown',
      'collection ID 9999999 is not one',
      '1012676.pul.bibs.mrc',
    ],
    [
      '1012676.pul.mrc',
      PUL,
      'label-missing',
      'three elements before the extension: collection ID, symbol and a free-text part',
      '1012676.pul.records.mrc',
    ],
    [
      '1012676.pul@.x.mrc',
      PUL,
      'symbol-mismatch',
      "must be the institution symbol 'pul', not 'pul@'",
      '1012676.pul.x.mrc',
    ],
    [
      '1234567.ab@.bibs.mrc',
      contextFor('AB@', '1234567'),
      'unencoded-special-character',
      "'@' in the symbol must be written '_64'",
      '1234567.ab_64.bibs.mrc',
    ],
    [
      '1012676.bibs.mrc',
      PUL,
      'symbol-mismatch',
      "must be the institution symbol 'pul', not 'bibs'",
      '1012676.pul.bibs.mrc',
    ],
  ])('%s', (name, context, code, reason, fixedName) => {
    const check = checkUploadName(name, context);
    if (check.ok) throw new Error(`${name} was accepted`);
    const violation = check.violations.find((v) => v.code === code);
    expect(violation?.reason).toContain(reason);
    expect(check.fixedName).toBe(fixedName);
    expect(checkUploadName(check.fixedName, context).ok).toBe(true);
  });

  it.each([
    // Real names (Princeton, UMN) as exporters mangle them; each fix must be the name OCLC takes.
    [
      '1012676.pul.non-pcc_28150407720006421_new.mrc.txt',
      'extension',
      "not '.txt'",
      '1012676.pul.non-pcc_28150407720006421_new.mrc',
    ],
    [
      '1012676.pul.non-pcc_28150407720006421_new.mrc.gz',
      'extension',
      "OCLC does not unpack '.gz' files",
      '1012676.pul.non-pcc_28150407720006421_new.mrc',
    ],
    ['1012676.pul.bibs.xml.zip', 'extension', "OCLC does not unpack '.zip' files", '1012676.pul.bibs.xml'],
    [
      '1031465.UMMBL.deletes.20200101.csv.txt',
      'extension',
      "not '.txt'",
      '1031465.UMMBL.deletes.20200101.csv',
    ],
    [
      '1012676.pul.non-pcc_28150407720006421_new.mrc ',
      'space',
      'spaces are not allowed',
      '1012676.pul.non-pcc_28150407720006421_new.mrc',
    ],
    [
      '1012676_pul_non-pcc_new.mrc',
      'collection-id-missing',
      '7-digit collection ID and a period',
      '1012676.pul.non-pcc_new.mrc',
    ],
    [
      '1012676.PUL_non-pcc_new.mrc',
      'symbol-mismatch',
      "not 'PUL_non-pcc_new'",
      '1012676.pul.non-pcc_new.mrc',
    ],
  ])('fixes %j to what it was meant to be', (name, code, reason, fixedName) => {
    const context = name.includes('UMMBL') ? contextFor('UMMBL', '1031465') : PUL;
    const check = checkUploadName(name, context);
    if (check.ok) throw new Error(`${name} was accepted`);
    expect(check.violations.find((v) => v.code === code)?.reason).toContain(reason);
    expect(check.fixedName).toBe(fixedName);
    expect(checkUploadName(check.fixedName, context).ok).toBe(true);
  });

  it("sends another folder's collection to its folder instead of renaming it to the default", () => {
    const check = checkUploadName('1012677.pul.lhr_77_new.mrc', {
      ...PUL,
      otherFolders: { '1012677': 'metacoll/in/lhr' },
    });
    if (check.ok) throw new Error('accepted');
    expect(check.violations.map((v) => v.code)).toEqual(['collection-id-other-folder']);
    expect(check.fixedName).toBe('1012677.pul.lhr_77_new.mrc');
    expect(describeNameCheck(check)).toBe(
      'collection 1012677 takes its files in metacoll/in/lhr, not in this folder; upload the file there under this name',
    );
  });

  it('describes the first example exactly as the user sees it', () => {
    const check = checkUploadName('1234567.ab@.bibs.mrc', AB);
    if (check.ok) throw new Error('accepted');
    expect(describeNameCheck(check)).toBe("'@' in the symbol must be written '_64': 1234567.ab_64.bibs.mrc");
  });

  it("does not tell PUL to encode an '@' its symbol does not have", () => {
    const check = checkUploadName('1012676.pul@.x.mrc', PUL);
    if (check.ok) throw new Error('accepted');
    expect(check.violations.map((v) => v.code)).toEqual(['symbol-mismatch']);
    expect(describeNameCheck(check)).toBe(
      "the second element must be the institution symbol 'pul', not 'pul@': 1012676.pul.x.mrc",
    );
  });

  it('reports every violation at once', () => {
    const check = checkUploadName('_ab@ bibs.txt', AB);
    if (check.ok) throw new Error('accepted');
    expect(check.violations.map((v) => v.code).sort()).toEqual(
      [
        'collection-id-missing',
        'extension',
        'leading-character',
        'space',
        'symbol-mismatch',
        'unencoded-special-character',
      ].sort(),
    );
    expect(checkUploadName(check.fixedName, AB).ok).toBe(true);
  });

  it('accepts only .mrc and .xml where the folder says so (LHR folders)', () => {
    const check = checkUploadName('1012677.pul.lhr.csv', {
      ...contextFor('PUL', '1012677'),
      extensions: ['mrc', 'xml'],
    });
    expect(check.ok).toBe(false);
  });

  it('treats the symbol case-insensitively and compares names as NFC', () => {
    expect(checkUploadName('1234567.AB_64.bibs.mrc', AB).ok).toBe(true);
    const nfd = '1012676.pul.cafe\u0301.mrc';
    const check = checkUploadName(nfd, PUL);
    expect(check.name).toBe('1012676.pul.caf\u00e9.mrc');
  });

  it('says when a folder has no collection configured', () => {
    const check = checkUploadName('1012677.pul.x.mrc', { symbols: ['PUL'], collectionIds: [] });
    if (check.ok) throw new Error('accepted');
    expect(check.violations[0]?.reason).toContain('none is configured for this folder');
  });
});

describe('parseUploadName', () => {
  it('splits collection ID, symbol, label and extension', () => {
    expect(parseUploadName('1012676.pul.non-pcc_281_new.mrc')).toEqual({
      collectionId: '1012676',
      symbol: 'pul',
      label: 'non-pcc_281_new',
      extension: 'mrc',
    });
  });
});

describe('isTemporaryUploadName', () => {
  it.each([
    ['1012676.pul.bibs.mrc.filepart', true],
    ['1012676.pul.bibs.mrc.part', true],
    ['x.tmp', true],
    ['.in.1012676.pul.bibs.mrc', true],
    ['1012676.pul.bibs.mrc', false],
  ])('%s → %s', (name, expected) => {
    expect(isTemporaryUploadName(name)).toBe(expected);
  });
});
