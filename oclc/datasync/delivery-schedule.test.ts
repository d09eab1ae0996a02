import { describe, expect, it } from 'vitest';
import { deliveriesBetween, nextDelivery } from './delivery-schedule.ts';
import { outputFileName } from './output-name.ts';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();

describe('delivery times (01:00 US Eastern)', () => {
  it.each([
    ['daily', '2026-01-15T15:00:00Z', '2026-01-16T06:00:00.000Z'],
    ['daily', '2026-07-15T15:00:00Z', '2026-07-16T05:00:00.000Z'], // EDT
    ['weekly', '2026-01-15T15:00:00Z', '2026-01-19T06:00:00.000Z'], // Monday
    ['monthly', '2026-01-15T15:00:00Z', '2026-02-01T06:00:00.000Z'],
    ['quarterly', '2026-01-15T15:00:00Z', '2026-04-01T05:00:00.000Z'],
    ['quarterly', '2026-10-01T04:59:59Z', '2026-10-01T05:00:00.000Z'],
    ['daily', '2026-03-08T05:59:59Z', '2026-03-08T06:00:00.000Z'], // the day clocks go forward
  ] as const)('%s after %s is %s', (frequency, after, expected) => {
    expect(iso(nextDelivery(frequency, at(after)))).toBe(expected);
  });

  it('lists missed deliveries oldest first', () => {
    const times = deliveriesBetween('daily', at('2026-01-15T15:00:00Z'), at('2026-01-18T06:00:00Z'));
    expect(times.map(iso)).toEqual([
      '2026-01-16T06:00:00.000Z',
      '2026-01-17T06:00:00.000Z',
      '2026-01-18T06:00:00.000Z',
    ]);
  });

  it('names files as the production parser expects', () => {
    const name = outputFileName({
      symbol: 'stf',
      kind: 'merges',
      frequency: 'quarterly',
      deliveredAt: at('2026-04-01T05:00:00Z'),
      collectionId: 'LLMC',
      n: 2,
      format: 'marc21',
    });
    expect(name).toBe('metacoll.STF.merges.Q20260401.T010000.LLMC.2.mrc');
    expect(name).toMatch(
      /^metacoll\.STF\.(deletes|new|updates|merges)\.(D|W|M|Q)20\d{6}\.T\d{6}\.LLMC\.\d+\.mrc$/,
    );
  });
});
