import { describe, expect, it } from 'vitest';
import { BloomFilter } from './bloom-filter.ts';

describe('BloomFilter', () => {
  it('never forgets what it saw, and rarely claims what it did not', () => {
    const bloom = new BloomFilter(20);
    for (let i = 0; i < 50_000; i++) bloom.add(`lsn-${i}`);
    for (let i = 0; i < 50_000; i++) expect(bloom.mightHave(`lsn-${i}`)).toBe(true);
    let false_positives = 0;
    for (let i = 0; i < 50_000; i++) if (bloom.mightHave(`other-${i}`)) false_positives++;
    expect(false_positives / 50_000).toBeLessThan(0.02);
  });
});

describe('BloomFilter.forEntries', () => {
  it('sized for a small file, still never forgets and rarely claims', () => {
    const bloom = BloomFilter.forEntries(1000);
    for (let i = 0; i < 1000; i++) bloom.add(`lsn-${i}`);
    for (let i = 0; i < 1000; i++) expect(bloom.mightHave(`lsn-${i}`)).toBe(true);
    let falsePositives = 0;
    for (let i = 0; i < 10_000; i++) if (bloom.mightHave(`other-${i}`)) falsePositives++;
    expect(falsePositives / 10_000).toBeLessThan(0.02);
  });
});
