// Made at first use: building a formatter for a time zone loads ICU's zone data (about 14 ms),
// which `serve` need not pay before it listens.
let format: Intl.DateTimeFormat | undefined;
const easternFormat = (): Intl.DateTimeFormat =>
  (format ??= new Intl.DateTimeFormat('en-US', {
    timeZone: 'America/New_York',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }));

/** OCLC stamps report names with the receive time in US Eastern time (EST or EDT). */
export function easternStamp(epochMs: number): { date: string; time: string } {
  const parts = Object.fromEntries(
    easternFormat()
      .formatToParts(new Date(epochMs))
      .map((p) => [p.type, p.value]),
  );
  const ms = String(((epochMs % 1000) + 1000) % 1000).padStart(3, '0');
  return {
    date: `${parts['year'] ?? ''}${parts['month'] ?? ''}${parts['day'] ?? ''}`,
    time: `${parts['hour'] ?? ''}${parts['minute'] ?? ''}${parts['second'] ?? ''}${ms}`,
  };
}
