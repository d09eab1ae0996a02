import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateBibRecords } from '../../oclc/marc/generate-bib-records.ts';
import { startPostgresCluster, type PostgresCluster } from '../support/postgres-cluster.ts';
import { startTestSimulator } from '../support/test-simulator.ts';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgresCluster();
}, 60_000);
afterAll(() => cluster.stop());

function generated(count: number, seed: number, defects = {}): Buffer {
  return Buffer.concat([...generateBibRecords({ count, seed, defects })].map((r) => r.bytes));
}

async function query<T extends pg.QueryResultRow>(
  url: string,
  sql: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

describe('store.url: WorldCat in PostgreSQL', () => {
  it('processes an upload into PostgreSQL, and a new data dir on the same database sees it', async () => {
    const url = await cluster.createDatabase();
    let holdings: string[];
    {
      await using sim = await startTestSimulator({ processing: 'immediate', store: { url } });
      const processed = sim.waitFor('file:processed');
      await sim.upload('PUL', '1012676.pul.full.20260115.mrc', generated(50, 3, { sparse: 2, 'no-lsn': 1 }));
      const file = await processed;
      holdings = sim.worldcat.holdings('PUL');
      expect(holdings.length).toBeGreaterThan(0);
      const inPg = await query<{ ocn: string }>(url, "SELECT ocn FROM holdings WHERE symbol = 'PUL'");
      expect(inPg.map((r) => r.ocn).sort()).toEqual([...holdings].sort());
      const outcomes = await query<{ n: string }>(
        url,
        'SELECT count(*) AS n FROM record_outcomes WHERE file_id = $1',
        [file.id],
      );
      // The records WorldCat answered for (the sparse and LSN-less ones here) are kept per file.
      expect(Number(outcomes[0]?.n)).toBe(3);
    }
    // Another replica's view: an empty data dir on the same database starts with the same WorldCat.
    await using second = await startTestSimulator({ store: { url } });
    expect(second.worldcat.holdings('PUL').sort()).toEqual([...holdings].sort());
  });

  it('a reset empties WorldCat in PostgreSQL too', async () => {
    const url = await cluster.createDatabase();
    await using sim = await startTestSimulator({ processing: 'immediate', store: { url } });
    const processed = sim.waitFor('file:processed');
    await sim.upload('PUL', '1012676.pul.full.20260115.mrc', generated(10, 4));
    await processed;
    expect((await query(url, 'SELECT 1 FROM holdings')).length).toBeGreaterThan(0);
    await sim.reset();
    expect(await query(url, 'SELECT 1 FROM holdings')).toEqual([]);
    expect(await query(url, 'SELECT 1 FROM record_outcomes')).toEqual([]);
  });

  it('two replicas on one database and one data dir: each upload is processed once and seen through both', async () => {
    const url = await cluster.createDatabase();
    const dataDir = mkdtempSync(join(tmpdir(), 'datasync-sim-pg-shared-'));
    try {
      await using a = await startTestSimulator(
        { processing: 'immediate', store: { url, replica: 'a' } },
        { dataDir },
      );
      await using b = await startTestSimulator(
        { processing: 'immediate', store: { url, replica: 'b' } },
        { dataDir },
      );
      const processedBy = { a: 0, b: 0 };
      a.events.on('file:processed', () => processedBy.a++);
      b.events.on('file:processed', () => processedBy.b++);
      const first = a.waitFor('file:processed');
      await a.upload('PUL', '1012676.pul.full.20260115.mrc', generated(20, 5));
      const fromA = await first;
      const second = b.waitFor('file:processed');
      await b.upload('AB@', '1234567.ab_64.full.20260115.mrc', generated(20, 6));
      const fromB = await second;
      expect(fromA.id).not.toBe(fromB.id);

      // Either admin API lists both uploads, processed, with their reports.
      for (const sim of [a, b]) {
        await expect
          .poll(async () => {
            const { files } = (await (await fetch(`${sim.adminUrl}/api/files`)).json()) as {
              files: { id: number; state: string }[];
            };
            return files.map((f) => `${f.id}:${f.state}`);
          })
          .toEqual([`${fromA.id}:processed`, `${fromB.id}:processed`].sort());
      }
      const report = fromA.summary?.reports[0] ?? '';
      const viaB = await fetch(`${b.adminUrl}/api/files/${fromA.id}/reports/${encodeURIComponent(report)}`);
      expect(viaB.status).toBe(200);
      const detail = (await (await fetch(`${b.adminUrl}/api/files/${fromA.id}`)).json()) as {
        summary: unknown;
      };
      expect(detail.summary).toEqual(fromA.summary);
      // WorldCat is one: B answers with the holdings A's file set.
      const holdings = (await (await fetch(`${b.adminUrl}/api/institutions/PUL/holdings`)).json()) as {
        ocns: string[];
      };
      expect(holdings.ocns.sort()).toEqual(a.worldcat.holdings('PUL').sort());
      expect(holdings.ocns.length).toBeGreaterThan(0);
      // Each file once, by whichever replica claimed it from the shared queue (D151).
      expect(processedBy.a + processedBy.b).toBe(2);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a database it cannot reach stops the start with the address, never the password', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'datasync-sim-pg-bad-'));
    try {
      const url = `postgres://sim:hunter2secret@127.0.0.1:${cluster.port}/no_such_database`;
      const started = startTestSimulator({ store: { url } }, { dataDir });
      await expect(started).rejects.toThrow(
        /Failed to open the PostgreSQL store 127\.0\.0\.1:\d+\/no_such_database: .*Check store\.url/,
      );
      await expect(started).rejects.not.toThrow(/hunter2secret/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
