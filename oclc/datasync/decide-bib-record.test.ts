import { describe, expect, it } from 'vitest';
import { parseIso2709Record } from '../marc/parse-iso2709-record.ts';
import { iso2709, type RecordSpec } from '../marc/write-marc.ts';
import { decideBibRecord, type WorldCatView } from './decide-bib-record.ts';

const F008 = '260115s2020    nyu           000 0 eng d';
const rules = {
  symbol: 'PUL',
  collectionType: 'bib' as const,
  ocnSource: 'any' as const,
  lsnFields: ['001'],
};
const world: WorldCatView = {
  resolve: (ocn) => ({ '111': '222', '404': undefined })[ocn] ?? (ocn === '404' ? undefined : ocn),
  fullMatch: (keys) => (keys.includes('isbn:9780000000001') ? '5555' : undefined),
  createdBy: (ocn, symbol) => ocn === '9000000001' && symbol === 'PUL',
};

function decide(spec: RecordSpec, overrides = {}) {
  const parsed = parseIso2709Record(iso2709(spec));
  if (!parsed.ok) throw new Error(parsed.detail);
  return decideBibRecord(parsed.record, { ...rules, ...overrides }, world);
}

const base = (...extra: RecordSpec['fields']): RecordSpec => ({
  leader: '00000nam a2200000 i 4500',
  fields: [['001', '991'], ['008', F008], ['245', '10', 'a', 'T'], ...extra],
});

describe('decideBibRecord', () => {
  it('matches by OCN and sets holdings', () => {
    expect(decide(base(['035', '  ', 'a', '(OCoLC)42']))).toMatchObject({
      worldcatOcn: '42',
      action: 'match',
      holdings: 'set',
    });
  });

  it('reports a merged OCN with the current number', () => {
    expect(decide(base(['035', '  ', 'a', '(OCoLC)111']))).toMatchObject({
      incomingOcn: '111',
      worldcatOcn: '222',
      action: 'match',
    });
  });

  it('falls back to the full match when the OCN was deleted', () => {
    expect(decide(base(['035', '  ', 'a', '(OCoLC)404'], ['020', '  ', 'a', '9780000000001']))).toMatchObject(
      { worldcatOcn: '5555', action: 'match' },
    );
  });

  it('creates full records without an OCN, and leaves thin ones unresolved', () => {
    expect(decide(base(['100', '1 ', 'a', 'A'], ['300', '  ', 'a', '1 p.']))).toMatchObject({
      action: 'create',
      needs: 'new-ocn',
      holdings: 'set',
    });
    expect(decide(base())).toMatchObject({
      action: 'unresolved',
      needs: 'provisional-ocn',
      holdings: 'none',
    });
  });

  it('CRITICAL makes the record unresolved', () => {
    const d = decide({
      fields: [
        ['001', '991'],
        ['035', '  ', 'a', '(OCoLC)42'],
      ],
    });
    expect(d).toMatchObject({
      action: 'unresolved',
      holdings: 'none',
      exceptions: [{ type: 'Validation Error', severity: 'CRITICAL', message: 'Record is sparse.' }],
    });
  });

  it("replaces the institution's own full-level record; transfers fields for 505/520", () => {
    expect(
      decide({ ...base(['035', '  ', 'a', '(OCoLC)9000000001']), leader: '00000nam  2200000 i 4500' }),
    ).toMatchObject({ action: 'replace' });
    expect(decide(base(['035', '  ', 'a', '(OCoLC)42'], ['520', '  ', 'a', 'Summary']))).toMatchObject({
      action: 'field transfer',
    });
  });

  it('SEVERE blocks replace and create but still sets holdings on a match', () => {
    const severe = decide(
      base(['035', '  ', 'a', '(OCoLC)42'], ['509', '  ', 'a', 'x'], ['520', '  ', 'a', 'S']),
    );
    expect(severe).toMatchObject({
      action: 'match',
      holdings: 'set',
      exceptions: [{ severity: 'SEVERE', message: 'Invalid tag 509.' }],
    });
  });

  it('Leader/05 d and delete-holdings collections cancel', () => {
    expect(
      decide({ ...base(['035', '  ', 'a', '(OCoLC)42']), leader: '00000dam a2200000 i 4500' }),
    ).toMatchObject({ holdings: 'cancel', action: 'match' });
    expect(
      decide(base(['035', '  ', 'a', '(OCoLC)42']), { collectionType: 'delete-holdings' }),
    ).toMatchObject({ holdings: 'cancel' });
  });

  it('a record without an LSN is a processing error', () => {
    expect(
      decide({
        fields: [
          ['008', F008],
          ['245', '10', 'a', 'T'],
        ],
      }),
    ).toMatchObject({ action: 'processing error', exceptions: [{ type: 'Processing Error' }] });
  });
});
