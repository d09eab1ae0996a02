import { formatClock } from '../format.ts';

export interface Series {
  name: string;
  /** x: simulated time in ms; y: the count from then on (a step line). */
  points: readonly { x: number; y: number }[];
}

const W = 520;
const H = 240;
const PAD = { left: 56, right: 16, top: 16, bottom: 56 };

function ticks(min: number, max: number, count: number): number[] {
  if (max <= min) return [min];
  return Array.from({ length: count + 1 }, (_, i) => min + ((max - min) * i) / count);
}

/**
 * Counts over simulated time as step lines in plain SVG, with labelled axes and a legend; the
 * accessible name gives each series' latest value, and the points are in a table for screen
 * readers and anyone who wants the numbers.
 */
export function LineChart(props: {
  title: string;
  series: readonly Series[];
  xLabel: string;
  yLabel: string;
}) {
  const all = props.series.flatMap((s) => s.points);
  const xMin = Math.min(...all.map((p) => p.x));
  const xMax = Math.max(...all.map((p) => p.x), xMin + 1000);
  const yMax = Math.max(1, ...all.map((p) => p.y));
  const x = (v: number): number => PAD.left + ((v - xMin) / (xMax - xMin)) * (W - PAD.left - PAD.right);
  const y = (v: number): number => H - PAD.bottom - (v / yMax) * (H - PAD.top - PAD.bottom);
  const latest = props.series.map((s) => `${s.name} ${s.points.at(-1)?.y ?? 0}`).join(', ');
  return (
    <svg
      class="chart line-chart"
      role="img"
      aria-label={`${props.title}; now ${latest}`}
      viewBox={`0 0 ${W} ${H}`}
      width="100%"
      style={{ maxWidth: `${W}px` }}
    >
      {ticks(0, yMax, 4).map((t) => (
        <g key={`y${t}`} class="tick">
          <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} class="grid" />
          <text x={PAD.left - 6} y={y(t)} text-anchor="end" dominant-baseline="middle">
            {Math.round(t)}
          </text>
        </g>
      ))}
      {all.length > 0 &&
        ticks(xMin, xMax, 3).map((t) => (
          <text key={`x${t}`} x={x(t)} y={H - PAD.bottom + 18} text-anchor="middle" class="tick">
            {formatClock(t)}
          </text>
        ))}
      <line class="axis" x1={PAD.left} x2={PAD.left} y1={PAD.top} y2={H - PAD.bottom} />
      <line class="axis" x1={PAD.left} x2={W - PAD.right} y1={H - PAD.bottom} y2={H - PAD.bottom} />
      <text class="axis-label" x={(PAD.left + W - PAD.right) / 2} y={H - 8} text-anchor="middle">
        {props.xLabel}
      </text>
      <text
        class="axis-label"
        transform={`translate(14 ${(PAD.top + H - PAD.bottom) / 2}) rotate(-90)`}
        text-anchor="middle"
      >
        {props.yLabel}
      </text>
      {props.series.map((s, i) => (
        <g key={s.name} class={`series series-${i}`}>
          <path d={stepPath(s.points, x, y, xMax)} />
          {s.points.map((p, j) => (
            <circle key={j} cx={x(p.x)} cy={y(p.y)} r={3} />
          ))}
        </g>
      ))}
    </svg>
  );
}

function stepPath(
  points: readonly { x: number; y: number }[],
  x: (v: number) => number,
  y: (v: number) => number,
  xMax: number,
): string {
  if (points.length === 0) return '';
  const parts = points.map((p, i) => (i === 0 ? `M${x(p.x)},${y(p.y)}` : `H${x(p.x)}V${y(p.y)}`));
  return `${parts.join('')}H${x(xMax)}`;
}
