// Processing through a PostgreSQL store (one replica, and two on one database and data dir)
// beside the embedded SQLite store, in the same rounds: files of generated bib records, each
// uploaded and processed to the end. Needs Debian's postgresql (started here on a temp dir).
// Run: npm run bench:shared [-- rounds files records]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateBibRecords } from '../oclc/marc/generate-bib-records.ts';
import type { ConfigInput } from '../simulator/config/config-schema.ts';
import { startPostgresCluster } from '../test/support/postgres-cluster.ts';
import { startTestSimulator, type TestSimulator } from '../test/support/test-simulator.ts';
import { median } from './support/serve-process.ts';

const rounds = Number(process.argv[2] ?? 3);
const files = Number(process.argv[3] ?? 6);
const records = Number(process.argv[4] ?? 2000);

function file(index: number): Buffer {
  return Buffer.concat([...generateBibRecords({ count: records, seed: index + 1 })].map((r) => r.bytes));
}
const data = Array.from({ length: files }, (_, i) => file(i));

/** Uploads the files spread over the replicas; resolves once every one is processed. */
async function processAll(sims: TestSimulator[]): Promise<number> {
  const start = performance.now();
  await Promise.all(
    data.map(async (bytes, i) => {
      const sim = sims[i % sims.length] as TestSimulator;
      const name = `1012676.pul.full.2026011${i % 10}.${i}.mrc`;
      const done = sim.waitFor('file:processed', (f) => f.name === name, { timeoutMs: 600_000 });
      await sim.upload('PUL', name, bytes);
      await done;
    }),
  );
  return performance.now() - start;
}

async function run(replicas: number, store?: () => Promise<string>): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'datasync-bench-shared-'));
  const url = store ? await store() : undefined;
  const sims: TestSimulator[] = [];
  try {
    for (let r = 0; r < replicas; r++) {
      const overrides: Partial<ConfigInput> = { processing: 'immediate' };
      if (url) overrides.store = { url, replica: `r${r}` };
      sims.push(await startTestSimulator(overrides, { dataDir }));
    }
    return await processAll(sims);
  } finally {
    for (const sim of sims) await sim.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const cluster = await startPostgresCluster();
const sqlite: number[] = [];
const one: number[] = [];
const two: number[] = [];
try {
  for (let round = 0; round < rounds; round++) {
    sqlite.push(await run(1));
    one.push(await run(1, () => cluster.createDatabase()));
    two.push(await run(2, () => cluster.createDatabase()));
  }
} finally {
  await cluster.stop();
}
const perSecond = (ms: number[]): string => ((files * records) / (median(ms) / 1000)).toFixed(0);
console.log(`rounds: ${rounds}, medians; ${files} files of ${records} records each, uploaded and processed`);
console.log(
  `shared store: sqlite ${perSecond(sqlite)} records/s, postgres 1 replica ${perSecond(one)} records/s, postgres 2 replicas ${perSecond(two)} records/s`,
);
