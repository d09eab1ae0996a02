export interface Sample {
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(?:,|$)/y;
const COMMENT = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/;

/**
 * A scrape parsed strictly by the Prometheus text format (0.0.4) as sample name → samples: any
 * line that is not a HELP/TYPE comment or a well-formed sample throws, naming the line. A
 * histogram's series are its `_bucket`, `_sum` and `_count` samples.
 */
export function parseScrape(text: string): Map<string, Sample[]> {
  const samples = new Map<string, Sample[]>();
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const comment = COMMENT.exec(line);
    if (comment) {
      if (comment[1] === 'TYPE') types.set(comment[2] ?? '', comment[3] ?? '');
      continue;
    }
    const match = SAMPLE.exec(line);
    const value = match ? parseValue(match[3] ?? '') : Number.NaN;
    if (!match || Number.isNaN(value)) throw new Error(`not a Prometheus sample line: ${line}`);
    const name = match[1] ?? '';
    const family = name.replace(/_(bucket|sum|count)$/, '');
    if (!types.has(name) && !types.has(family)) throw new Error(`sample before its # TYPE line: ${line}`);
    const list = samples.get(name) ?? [];
    list.push({ labels: parseLabels(match[2] ?? '', line), value });
    samples.set(name, list);
  }
  return samples;
}

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const label = LABEL.exec(text);
    if (!label) throw new Error(`bad labels in: ${line}`);
    labels[label[1] ?? ''] = (label[2] ?? '').replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
  }
  return labels;
}

function parseValue(text: string): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return text === 'NaN' ? Number.NaN : Number(text);
}

/** The sum of a metric's samples whose labels include `labels` (0 when none). */
export function sampleValue(
  scrape: Map<string, Sample[]>,
  name: string,
  labels: Record<string, string> = {},
): number {
  return (scrape.get(name) ?? [])
    .filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}
