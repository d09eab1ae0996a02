import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WriteHash } from './write-hash.ts';

const bytes = Buffer.from('0123456789abcdefghij');
const sha = createHash('sha256').update(bytes).digest('hex');
const part = (from: number, to: number): [number, Buffer] => [from, bytes.subarray(from, to)];

function hashOf(writes: [number, Buffer][], size = bytes.length) {
  const hash = new WriteHash();
  for (const [offset, data] of writes) hash.update(offset, data);
  return hash.result(size);
}

describe('WriteHash', () => {
  it('hashes writes in order', () => {
    expect(hashOf([part(0, 7), part(7, 20)])).toEqual({ size: 20, sha256: sha });
  });

  it('holds a write that arrives ahead of its predecessor until the gap fills', () => {
    expect(hashOf([part(0, 5), part(10, 20), part(5, 10)])).toEqual({ size: 20, sha256: sha });
  });

  it('gives up on overlapping writes, a gap that never fills, or a file of another size', () => {
    expect(hashOf([part(0, 10), part(5, 20)])).toBeUndefined();
    expect(hashOf([part(0, 5), part(10, 20)])).toBeUndefined();
    expect(hashOf([part(0, 20)], 30)).toBeUndefined();
  });
});
