export interface Bar {
  label: string;
  value: number;
  /** A CSS class for the bar's colour (`good`, `new`, `warn`, `bad`). */
  tone?: string;
}

const ROW = 30;
const LABEL_WIDTH = 170;
const WIDTH = 640;
const COUNT_SPACE = 70;

/**
 * Horizontal bars in plain SVG, each with its label and its count written beside it; the whole
 * chart is one image (role img) whose accessible name says every bar, so a screen reader reads
 * the same numbers the room sees.
 */
export function BarChart(props: { title: string; bars: readonly Bar[]; axisLabel: string; testId?: string }) {
  const max = Math.max(1, ...props.bars.map((b) => b.value));
  const barSpace = WIDTH - LABEL_WIDTH - COUNT_SPACE;
  const height = props.bars.length * ROW + 34;
  const name = `${props.title}: ${props.bars.map((b) => `${b.label} ${b.value}`).join(', ')}`;
  return (
    <svg
      class="chart bar-chart"
      role="img"
      aria-label={name}
      data-testid={props.testId}
      viewBox={`0 0 ${WIDTH} ${height}`}
      width="100%"
      style={{ maxWidth: `${WIDTH}px` }}
    >
      {props.bars.map((bar, i) => {
        const y = i * ROW;
        const w = bar.value === 0 ? 0 : Math.max(2, (barSpace * bar.value) / max);
        return (
          <g key={bar.label} class={`bar ${bar.tone ?? ''}`}>
            <text
              x={LABEL_WIDTH - 8}
              y={y + ROW / 2}
              class="bar-label"
              text-anchor="end"
              dominant-baseline="middle"
            >
              {bar.label}
            </text>
            <rect x={LABEL_WIDTH} y={y + 5} width={w} height={ROW - 10} rx={3} />
            <text x={LABEL_WIDTH + w + 6} y={y + ROW / 2} class="bar-count" dominant-baseline="middle">
              {bar.value}
            </text>
          </g>
        );
      })}
      <line class="axis" x1={LABEL_WIDTH} x2={LABEL_WIDTH} y1={0} y2={props.bars.length * ROW} />
      <line
        class="axis"
        x1={LABEL_WIDTH}
        x2={LABEL_WIDTH + barSpace}
        y1={props.bars.length * ROW}
        y2={props.bars.length * ROW}
      />
      <text x={LABEL_WIDTH + barSpace / 2} y={height - 6} class="axis-label" text-anchor="middle">
        {props.axisLabel}
      </text>
    </svg>
  );
}
