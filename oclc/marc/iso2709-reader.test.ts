import { describe, expect, it } from 'vitest';
import { Iso2709Reader } from './iso2709-reader.ts';
import type { MarcReadItem } from './marc-read-result.ts';
import { iso2709 } from './write-marc.ts';

const A = iso2709({
  fields: [
    ['001', '991'],
    ['008', '260115s2026    nyu           000 0 eng d'],
    ['245', '10', 'a', 'First'],
  ],
});
const B = iso2709({
  fields: [
    ['001', '992'],
    ['245', '10', 'a', 'Second é'],
  ],
});
const C = iso2709({
  fields: [
    ['001', '993'],
    ['245', '10', 'a', 'Third'],
  ],
});

function read(input: Buffer, chunkSize = input.length): MarcReadItem[] {
  const reader = new Iso2709Reader();
  const items: MarcReadItem[] = [];
  for (let i = 0; i < input.length; i += chunkSize)
    items.push(...reader.push(input.subarray(i, i + chunkSize)));
  items.push(...reader.end());
  return items;
}

function summary(items: MarcReadItem[]): string[] {
  return items.map((item) =>
    item.kind === 'record'
      ? `record@${item.offset}:${item.record.control('001') ?? ''}`
      : `error@${item.offset}:${item.code}`,
  );
}

const GOOD = Buffer.concat([A, B, C]);
const EXPECTED = [`record@0:991`, `record@${A.length}:992`, `record@${A.length + B.length}:993`];

describe('Iso2709Reader framing', () => {
  it.each([1, 2, 3, 5, 7, 13, 24, 64, 1024, GOOD.length])(
    'frames the same records with %i-byte chunks',
    (size) => {
      expect(summary(read(GOOD, size))).toEqual(EXPECTED);
    },
  );

  it('keeps bytes as bytes (UTF-8 stays UTF-8)', () => {
    const [, second] = read(GOOD);
    if (second?.kind !== 'record') throw new Error('not a record');
    expect(second.record.first('245', 'a')).toBe('Second é');
  });

  it('tolerates CR/LF and stray terminators between records', () => {
    const input = Buffer.concat([A, Buffer.from('\r\n'), B, Buffer.from([0x1d, 0x1d]), C, Buffer.from('\n')]);
    expect(summary(read(input, 3)).map((s) => s.split(':')[1])).toEqual(['991', '992', '993']);
  });

  it('a truncated last record is an error at its offset', () => {
    const input = Buffer.concat([A, B.subarray(0, 40)]);
    for (const size of [1, 4, 1000]) {
      expect(summary(read(input, size))).toEqual(['record@0:991', `error@${A.length}:crosswalk_error`]);
    }
  });

  it('a non-numeric record length is an error; framing resumes at the next record', () => {
    const broken = Buffer.from(B);
    broken.write('x0', 0, 'latin1');
    const input = Buffer.concat([A, broken, C]);
    for (const size of [1, 9, 4096]) {
      expect(summary(read(input, size))).toEqual([
        'record@0:991',
        `error@${A.length}:crosswalk_error`,
        `record@${A.length + B.length}:993`,
      ]);
    }
  });

  it('a wrong record length (no terminator where the leader says) is an error; later records survive', () => {
    const broken = Buffer.from(B);
    broken.write(String(B.length - 3).padStart(5, '0'), 0, 'latin1');
    const input = Buffer.concat([A, broken, C]);
    for (const size of [1, 16, 4096]) {
      expect(summary(read(input, size))).toEqual([
        'record@0:991',
        `error@${A.length}:crosswalk_error`,
        `record@${A.length + B.length}:993`,
      ]);
    }
  });

  it('a length longer than the data swallows nothing after the file ends: the rest is resynchronised', () => {
    const broken = Buffer.from(B);
    broken.write('99999', 0, 'latin1');
    const input = Buffer.concat([A, broken, C]);
    expect(summary(read(input, 50))).toEqual([
      'record@0:991',
      `error@${A.length}:crosswalk_error`,
      `record@${A.length + B.length}:993`,
    ]);
  });

  it('a record cut short in the middle of a file is an error; the next record is found inside the gap', () => {
    const input = Buffer.concat([A, B.subarray(0, 30), C, A]);
    for (const size of [1, 11, 4096]) {
      expect(summary(read(input, size))).toEqual([
        'record@0:991',
        `error@${A.length}:crosswalk_error`,
        `record@${A.length + 30}:993`,
        `record@${A.length + 30 + C.length}:991`,
      ]);
    }
  });

  it('a bad base address is an error for that record only', () => {
    const broken = Buffer.from(B);
    broken.write('0x049', 12, 'latin1');
    expect(summary(read(Buffer.concat([A, broken, C])))).toEqual([
      'record@0:991',
      `error@${A.length}:crosswalk_error`,
      `record@${A.length + B.length}:993`,
    ]);
  });

  it('a bad directory entry is an error naming it', () => {
    const broken = Buffer.from(B);
    broken.write('9999', 24 + 3, 'latin1');
    const items = read(Buffer.concat([A, broken, C]));
    expect(items[1]).toMatchObject({
      kind: 'error',
      code: 'crosswalk_error',
      detail: expect.stringContaining('runs past the end'),
    });
    expect(items).toHaveLength(3);
  });

  it('a missing field terminator is an error', () => {
    const broken = Buffer.from(B);
    broken[broken.length - 2] = 0x41;
    expect(read(broken)[0]).toMatchObject({
      kind: 'error',
      detail: expect.stringContaining('field terminator'),
    });
  });

  it('garbage gives an error, not zero records', () => {
    expect(summary(read(Buffer.from('this is not MARC at all\n'.repeat(3))))).toEqual([
      'error@0:crosswalk_error',
    ]);
  });

  it('an empty file gives nothing', () => {
    expect(read(Buffer.alloc(0))).toEqual([]);
  });
});

describe('Iso2709Reader encoding checks', () => {
  it('Leader/09 a requires valid UTF-8', () => {
    const bad = Buffer.from(B);
    const at = bad.indexOf(Buffer.from('é'));
    bad[at] = 0xe9;
    bad[at + 1] = 0x20;
    expect(read(bad)[0]).toMatchObject({
      kind: 'error',
      code: 'invalid_characters_present',
      detail: 'field 245 is not valid UTF-8 (Leader/09 is a)',
    });
  });

  it('blank Leader/09 (MARC-8) accepts ANSEL and escapes, refuses C1 bytes and dangling combining marks', () => {
    // Raw bytes are copied over a placeholder of the same length, so lengths stay right.
    const withBytes = (bytes: number[]) => {
      const record = iso2709({
        leader: '00000nam  2200000 a 4500',
        fields: [
          ['001', '1'],
          ['245', '10', 'a', 'Z'.repeat(bytes.length)],
        ],
      });
      const at = record.indexOf(Buffer.from('Z'.repeat(bytes.length)));
      Buffer.from(bytes).copy(record, at);
      return record;
    };
    expect(read(withBytes([0xe2, 0x65, 0x1b, 0x28, 0x53, 0x61, 0x1b, 0x28, 0x42]))[0]?.kind).toBe('record');
    expect(read(withBytes([0x41, 0x85, 0x41]))[0]).toMatchObject({ code: 'invalid_characters_present' });
    expect(read(withBytes([0x41, 0x1b, 0x28, 0x7a]))[0]).toMatchObject({
      code: 'invalid_characters_present',
    });
    expect(read(withBytes([0x41, 0x41, 0xe2]))[0]).toMatchObject({ code: 'invalid_characters_present' });
  });

  it('other Leader/09 values are a crosswalk error', () => {
    const bad = Buffer.from(A);
    bad.write('z', 9, 'latin1');
    expect(read(bad)[0]).toMatchObject({
      code: 'crosswalk_error',
      detail: expect.stringContaining('Leader/09'),
    });
  });
});
