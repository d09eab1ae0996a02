import { describe, expect, it } from 'vitest';
import { editDistance } from './edit-distance.ts';

describe('editDistance', () => {
  it.each([
    ['port', 'port', 0],
    ['prot', 'port', 2],
    ['defualt', 'default', 2],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
    ['colour', 'clock', 3],
  ])('%s to %s is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});
