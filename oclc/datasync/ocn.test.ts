import { describe, expect, it } from 'vitest';
import { parseIso2709Record } from '../marc/parse-iso2709-record.ts';
import { iso2709, type RecordSpec } from '../marc/write-marc.ts';
import { incomingOcn, localSystemNumber, mergedOcns, normalizeOcn } from './ocn.ts';

function record(fields: RecordSpec['fields']) {
  const parsed = parseIso2709Record(iso2709({ fields }));
  if (!parsed.ok) throw new Error(parsed.detail);
  return parsed.record;
}

describe('normalizeOcn', () => {
  it.each([
    ['(OCoLC)00003862', '3862'],
    ['(OCoLC)198765401', '198765401'],
    ['(OCoLC)ocm00012345', '12345'],
    ['ocm00012345', '12345'],
    ['ocn123456789', '123456789'],
    ['on1345345345', '1345345345'],
    [' 42 ', '42'],
  ])('%s → %s', (text, ocn) => {
    expect(normalizeOcn(text)).toBe(ocn);
  });

  it.each(['(DLC)12345', 'abc', '', '(OCoLC)', '0000'])('rejects %j', (text) => {
    expect(normalizeOcn(text)).toBeUndefined();
  });
});

describe('incomingOcn', () => {
  const both = record([
    ['001', 'ocn123456789'],
    ['003', 'OCoLC'],
    ['035', '  ', 'a', '(DLC)  99'],
    ['035', '  ', 'a', '(OCoLC)555'],
  ]);
  it('reads the first (OCoLC) 035 and skips other systems', () => {
    expect(incomingOcn(both, '035')).toBe('555');
    expect(incomingOcn(both, 'any')).toBe('555');
  });
  it('reads 001 only when 003 is OCoLC', () => {
    expect(incomingOcn(both, '001')).toBe('123456789');
    expect(
      incomingOcn(
        record([
          ['001', 'ocn123456789'],
          ['003', 'DLC'],
        ]),
        '001',
      ),
    ).toBeUndefined();
    expect(incomingOcn(record([['001', '99123406421']]), 'any')).toBeUndefined();
  });
  it('takes only the first (OCoLC) 035: a malformed first number is no OCN, never a later one', () => {
    const first = record([
      ['035', '  ', 'a', '(OCoLC)3268953'],
      ['035', '  ', 'a', '(OCoLC)1392646065'],
    ]);
    expect(incomingOcn(first, '035')).toBe('3268953');
    const malformed = record([
      ['035', '  ', 'a', '(OCoLC)ocm3268953x'],
      ['035', '  ', 'a', '(OCoLC)1392646065'],
    ]);
    expect(incomingOcn(malformed, '035')).toBeUndefined();
    expect(incomingOcn(malformed, 'any')).toBeUndefined();
  });
  it('reads nothing with none', () => {
    expect(incomingOcn(both, 'none')).toBeUndefined();
  });
});

describe('localSystemNumber and 019', () => {
  it('takes the first configured field that has a value', () => {
    const r = record([
      ['001', ' 9911 '],
      ['907', '  ', 'a', '.b1234'],
    ]);
    expect(localSystemNumber(r, ['001'])).toBe('9911');
    expect(localSystemNumber(r, ['907$a', '001'])).toBe('.b1234');
    expect(localSystemNumber(r, ['999$a'])).toBeUndefined();
  });
  it('reads a 001 written like a data field without its 0x1F delimiter', () => {
    // A real Alma MMS ID (pulibrary/lib_jobs BibProcessingReport), after indicators and $a.
    const r = record([['001', '  \x1fa99125407254106421']]);
    expect(localSystemNumber(r, ['001'])).toBe('99125407254106421');
  });
  it('lists merged numbers from 019 $a', () => {
    expect(mergedOcns(record([['019', '  ', 'a', '111', 'a', 'ocm00000222']]))).toEqual(['111', '222']);
  });
});
