import type { OutputFrequency } from './output-settings.ts';
import { easternStamp } from '../reports/eastern-time.ts';

/** OCLC delivers output at 01:00 US Eastern time. */
const DELIVERY_HOUR = 1;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The frequency letter in output file names. */
export const FREQUENCY_LETTER: Readonly<Record<OutputFrequency, 'D' | 'W' | 'M' | 'Q'>> = {
  daily: 'D',
  weekly: 'W',
  monthly: 'M',
  quarterly: 'Q',
};

/**
 * Whether an Eastern calendar day is a delivery day: every day; Mondays; the 1st; the 1st of
 * January, April, July and October.
 */
export function isDeliveryDay(frequency: OutputFrequency, year: number, month: number, day: number): boolean {
  switch (frequency) {
    case 'daily':
      return true;
    case 'weekly':
      return new Date(Date.UTC(year, month - 1, day)).getUTCDay() === 1;
    case 'monthly':
      return day === 1;
    case 'quarterly':
      return day === 1 && (month - 1) % 3 === 0;
  }
}

/** The first delivery time strictly after `afterMs`. */
export function nextDelivery(frequency: OutputFrequency, afterMs: number): number {
  const start = easternDate(afterMs);
  let date = Date.UTC(start.year, start.month - 1, start.day);
  for (let i = 0; i < 400; i++, date += DAY_MS) {
    const d = new Date(date);
    const [year, month, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
    if (!isDeliveryDay(frequency, year, month, day)) continue;
    const at = easternWallTime(year, month, day, DELIVERY_HOUR);
    if (at > afterMs) return at;
  }
  throw new Error(`no ${frequency} delivery within 400 days of ${new Date(afterMs).toISOString()}`);
}

/** Every delivery time in (afterMs, untilMs], oldest first. */
export function deliveriesBetween(frequency: OutputFrequency, afterMs: number, untilMs: number): number[] {
  const times: number[] = [];
  for (let at = nextDelivery(frequency, afterMs); at <= untilMs; at = nextDelivery(frequency, at))
    times.push(at);
  return times;
}

function easternDate(epochMs: number): { year: number; month: number; day: number } {
  const { date } = easternStamp(epochMs);
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(4, 6)), day: Number(date.slice(6, 8)) };
}

/** The instant a wall-clock hour on an Eastern date happens (EST is UTC-5, EDT UTC-4). */
function easternWallTime(year: number, month: number, day: number, hour: number): number {
  const wanted = `${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
  for (const offset of [5, 4]) {
    const at = Date.UTC(year, month - 1, day, hour + offset);
    const stamp = easternStamp(at);
    if (stamp.date === wanted && stamp.time.startsWith(`${String(hour).padStart(2, '0')}0000`)) return at;
  }
  return Date.UTC(year, month - 1, day, hour + 5);
}
