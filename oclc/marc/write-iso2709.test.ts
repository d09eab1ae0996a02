import { describe, expect, it } from 'vitest';
import { parseIso2709Record } from './parse-iso2709-record.ts';
import { iso2709 } from './write-marc.ts';
import { writeIso2709 } from './write-iso2709.ts';

describe('writeIso2709', () => {
  it('round-trips a record byte for byte', () => {
    const original = iso2709({
      fields: [
        ['001', '991'],
        ['008', 'x'.repeat(40)],
        ['245', '10', 'a', 'Café', 'c', 'Ann.'],
      ],
    });
    const parsed = parseIso2709Record(original);
    if (!parsed.ok) throw new Error(parsed.detail);
    expect(writeIso2709(parsed.record.leader, parsed.record.fields).equals(original)).toBe(true);
  });

  it('recomputes length, base address and directory when a field is added', () => {
    const parsed = parseIso2709Record(
      iso2709({
        fields: [
          ['001', '1'],
          ['245', '10', 'a', 'T'],
        ],
      }),
    );
    if (!parsed.ok) throw new Error(parsed.detail);
    const fields = [...parsed.record.fields];
    fields.splice(1, 0, { tag: '035', data: Buffer.from('  \x1fa(OCoLC)42') });
    const again = parseIso2709Record(writeIso2709(parsed.record.leader, fields));
    if (!again.ok) throw new Error(again.detail);
    expect(again.record.first('035', 'a')).toBe('(OCoLC)42');
    expect(again.record.first('245', 'a')).toBe('T');
  });
});
