const UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/** `100MB`, `512KiB`, `2GB` or a plain number of bytes; undefined for anything else. */
export function parseByteSize(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text > 0 ? Math.floor(text) : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b|b)?\s*$/i.exec(text);
  if (!match?.[1]) return undefined;
  const value = Number(match[1]) * (UNITS[(match[2] ?? 'b').toLowerCase()] ?? 1);
  return value > 0 ? Math.floor(value) : undefined;
}

/** 2000000000 → "2 GB", 1536 → "1.5 kB"-style figures for messages (decimal units, as parsed). */
export function formatByteSize(bytes: number): string {
  const units: [string, number][] = [
    ['GB', 1e9],
    ['MB', 1e6],
    ['kB', 1e3],
  ];
  for (const [unit, size] of units) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  }
  return `${bytes} bytes`;
}
