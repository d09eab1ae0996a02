import { LineChart } from '../charts/line-chart.tsx';
import { useApi } from '../hooks/use-api.ts';
import { definePanel } from '../panel.ts';
import { OcnSearch } from '../parts/ocn-search.tsx';

interface Point {
  at: number;
  symbol: string;
  holdings: number;
  lhrs: number;
  fileId: number | null;
}

function WorldCat() {
  const { data } = useApi<{ points: Point[] }>('/api/worldcat/history', /^(file:processed|simulator:reset)$/);
  const bySymbol = new Map<string, Point[]>();
  for (const p of data?.points ?? []) bySymbol.set(p.symbol, [...(bySymbol.get(p.symbol) ?? []), p]);
  const active = [...bySymbol].filter(([, points]) => points.some((p) => p.holdings > 0 || p.lhrs > 0));
  const idle = [...bySymbol].filter(([, points]) => !points.some((p) => p.holdings > 0 || p.lhrs > 0));
  return (
    <>
      {active.length === 0 && (
        <p>No institution holds anything yet: process a file and its holdings appear here.</p>
      )}
      <div class="small-multiples">
        {active.map(([symbol, points]) => {
          const now = points.at(-1);
          return (
            <figure key={symbol} data-testid="worldcat-institution" data-symbol={symbol}>
              <figcaption>
                <strong>{symbol}</strong>: {now?.holdings ?? 0} holdings, {now?.lhrs ?? 0} LHRs
              </figcaption>
              <LineChart
                title={`${symbol} holdings and LHRs over simulated time`}
                xLabel="simulated time"
                yLabel="count"
                series={[
                  { name: 'holdings', points: points.map((p) => ({ x: p.at, y: p.holdings })) },
                  { name: 'LHRs', points: points.map((p) => ({ x: p.at, y: p.lhrs })) },
                ]}
              />
              <p class="legend" aria-hidden="true">
                <span class="key series-0">holdings</span> <span class="key series-1">LHRs</span>
              </p>
            </figure>
          );
        })}
      </div>
      {idle.length > 0 && <p class="note">Nothing held yet by {idle.map(([s]) => s).join(', ')}.</p>}
      <OcnSearch />
    </>
  );
}

export default definePanel({
  page: 'board',
  id: 'worldcat',
  title: 'WorldCat at a glance',
  order: 20,
  width: 'half',
  Component: WorldCat,
});
