import { describe, expect, it } from 'vitest';
import { mfhd } from '../../test/fixtures/mfhd-fixtures.ts';
import { parseIso2709Record } from '../marc/parse-iso2709-record.ts';
import { iso2709, type RecordSpec } from '../marc/write-marc.ts';
import { readLhr } from './read-lhr.ts';

function read(spec: RecordSpec, field: '004' | '014' | '035' = '004') {
  const parsed = parseIso2709Record(iso2709(spec));
  if (!parsed.ok) throw new Error(parsed.detail);
  return readLhr(parsed.record, field);
}

describe('readLhr', () => {
  it('reads a single-part item, a serial and a multipart record', () => {
    for (const type of ['x', 'y', 'v'] as const) {
      expect(read(mfhd({ lsn: '221', ocn: 'ocm00012345', type, barcodes: ['3901', '3902'] }))).toEqual({
        ok: true,
        lhr: {
          lsn: '221',
          ocn: '12345',
          symbol: 'PUL',
          holdingLibrary: 'MAIN',
          location: 'stacks',
          callNumber: 'QA76.73.J38 F55 2020',
          barcodes: ['3901', '3902'],
          isDelete: false,
        },
      });
    }
  });

  it("reads the OCN from the collection's field only", () => {
    expect(read(mfhd({ lsn: '1', ocn: '42', ocnIn: '014' }), '014')).toMatchObject({
      ok: true,
      lhr: { ocn: '42' },
    });
    expect(read(mfhd({ lsn: '1', ocn: '42', ocnIn: '035' }), '035')).toMatchObject({
      ok: true,
      lhr: { ocn: '42' },
    });
    expect(read(mfhd({ lsn: '1', ocn: '42', ocnIn: '014' }), '004')).toMatchObject({
      ok: false,
      message: expect.stringContaining('OCLC number not found in 004'),
    });
  });

  it.each([
    [
      'a bib record',
      {
        leader: '00000nam a2200000 a 4500',
        fields: [
          ['001', '1'],
          ['245', '10', 'a', 'T'],
        ],
      },
      'not a holdings record (Leader/06 is "a"',
    ],
    ['no OCN', mfhd({ lsn: '1' }), 'OCLC number not found in 004'],
    ['a malformed OCN', mfhd({ lsn: '1', ocn: 'abc' }), 'OCLC number "abc" in 004 is not valid'],
    [
      'no 007',
      {
        ...mfhd({ lsn: '1', ocn: '5' }),
        fields: mfhd({ lsn: '1', ocn: '5' }).fields.filter(([t]) => t !== '007'),
      },
      '007 is missing',
    ],
    [
      'two 852',
      {
        ...mfhd({ lsn: '1', ocn: '5' }),
        fields: [...mfhd({ lsn: '1', ocn: '5' }).fields, ['852', '01', 'a', 'PUL', 'b', 'SCI']],
      },
      'More than one 852',
    ],
    [
      'no 852 $b',
      {
        ...mfhd({ lsn: '1', ocn: '5' }),
        fields: mfhd({ lsn: '1', ocn: '5' }).fields.map((f) =>
          f[0] === '852' ? ['852', '01', 'a', 'PUL'] : f,
        ),
      },
      '852 $b (holding library) is missing',
    ],
  ])('refuses %s', (_label, spec, message) => {
    expect(read(spec as RecordSpec)).toMatchObject({ ok: false, message: expect.stringContaining(message) });
  });

  it('reads Leader/05 d as a delete', () => {
    expect(read(mfhd({ lsn: '1', ocn: '5', status: 'd' }))).toMatchObject({
      ok: true,
      lhr: { isDelete: true },
    });
  });
});
