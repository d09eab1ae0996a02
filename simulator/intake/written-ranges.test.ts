import { describe, expect, it } from 'vitest';
import { WrittenRanges } from './written-ranges.ts';

describe('WrittenRanges', () => {
  it('finds no gap once out-of-order writes fill the file', () => {
    const ranges = new WrittenRanges();
    ranges.add(10, 20);
    ranges.add(30, 40);
    expect(ranges.firstGap(40)).toEqual({ from: 0, to: 10 });
    ranges.add(0, 10);
    expect(ranges.firstGap(40)).toEqual({ from: 20, to: 30 });
    ranges.add(15, 35);
    expect(ranges.firstGap(40)).toBeUndefined();
    expect(ranges.firstGap(41)).toEqual({ from: 40, to: 41 });
  });

  it('counts what a continued file already holds, and forgets what a truncation cut', () => {
    const ranges = new WrittenRanges(100);
    expect(ranges.firstGap(100)).toBeUndefined();
    ranges.truncate(50);
    ranges.add(60, 70);
    expect(ranges.firstGap(70)).toEqual({ from: 50, to: 60 });
    expect(new WrittenRanges().firstGap(0)).toBeUndefined();
  });
});
