import { once } from 'node:events';
import { createWriteStream, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateBibRecords } from '../../oclc/marc/generate-bib-records.ts';
import { AdminClient } from '../../scenarios/admin-client.ts';
import { startPostgresCluster, type PostgresCluster } from '../support/postgres-cluster.ts';
import { startCli } from '../support/run-cli.ts';
import { SftpTestClient } from '../support/sftp-test-client.ts';
import { startTestSimulator, TEST_INSTITUTIONS } from '../support/test-simulator.ts';
import { tempDir } from '../support/temp-dir.ts';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgresCluster();
}, 60_000);
afterAll(() => cluster.stop());

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

function generated(count: number, seed: number): Buffer {
  return Buffer.concat([...generateBibRecords({ count, seed })].map((r) => r.bytes));
}

/** How many commits applied this file to WorldCat (one row per institution it changed, per commit). */
async function commitsOf(url: string, fileId: number): Promise<number> {
  const rows = await query<{ n: number }>(
    url,
    'SELECT count(*)::int AS n FROM worldcat_history WHERE file_id = $1',
    [fileId],
  );
  return rows[0]?.n ?? 0;
}

describe('the replicas share one processing queue in PostgreSQL', () => {
  it('a file uploaded through one replica is processed by another that is told to run the queue', async () => {
    const url = await cluster.createDatabase();
    using dir = tempDir();
    await using a = await startTestSimulator({ store: { url, replica: 'a' } }, { dataDir: dir.path });
    await using b = await startTestSimulator({ store: { url, replica: 'b' } }, { dataDir: dir.path });
    const processedBy: string[] = [];
    a.events.on('file:processed', () => processedBy.push('a'));
    b.events.on('file:processed', () => processedBy.push('b'));
    const queued = a.waitFor('file:queued');
    await a.upload('PUL', '1012676.pul.full.20260115.mrc', generated(30, 7));
    const file = await queued;

    // Processing is manual: nothing runs until B is told to, and B processes A's file.
    const [done] = await b.processing.run();
    expect(done).toMatchObject({ id: file.id, state: 'processed' });
    expect(done?.summary?.records).toBe(30);
    expect(processedBy).toEqual(['b']);
    expect(await commitsOf(url, file.id)).toBe(1);
    expect(await query(url, 'SELECT * FROM work_queue')).toEqual([]);
    // Either replica answers for it, and A's own run finds nothing left to do.
    expect((await a.files.findAny(file.id))?.state).toBe('processed');
    expect(await a.processing.run()).toEqual([]);
    const reports = readdirSync(join(dir.path, 'xfer', 'pul', 'metacoll', 'reports'));
    expect(reports.filter((n) => n.endsWith('.BibProcessingReport.txt'))).toHaveLength(1);
  });

  it('a replica killed mid-file: another takes the file over once its lease runs out, and applies it once', async () => {
    const RECORDS = 20_000;
    const url = await cluster.createDatabase();
    using dir = tempDir();
    const dataDir = join(dir.path, 'data');
    const config = join(dir.path, 'a.yaml');
    const store = { url, replica: 'a', lease: '2s' };
    writeFileSync(
      config,
      JSON.stringify({
        dataDir,
        sftp: { port: 0 },
        admin: { port: 0 },
        processing: 'immediate',
        store,
        institutions: TEST_INSTITUTIONS,
      }),
    );
    const file = join(dir.path, 'big.mrc');
    const out = createWriteStream(file);
    for (const record of generateBibRecords({ count: RECORDS, seed: 12 }))
      if (!out.write(record.bytes)) await once(out, 'drain');
    out.end();
    await once(out, 'finish');

    const a = await startCli(['serve', '--config', config], /press Ctrl\+C/);
    const sftpPort = Number(/sftp listening on 127\.0\.0\.1:(\d+)/.exec(a.output())?.[1]);
    const adminUrl = /admin listening on (\S+)/.exec(a.output())?.[1] ?? '';
    await using b = await startTestSimulator(
      { processing: 'immediate', store: { ...store, replica: 'b' } },
      { dataDir },
    );
    const processedByB = b.waitFor('file:processed', () => true, { timeoutMs: 120_000 });
    // Killed once A's worker reports records read but not all: mid-file by proof, not by a guess.
    const eventsOfA = await new AdminClient(adminUrl).subscribe();
    const midFile = eventsOfA.waitFor('processing:progress', (p) => p.records > 0 && p.records < RECORDS, {
      timeoutMs: 60_000,
    });
    const client = await SftpTestClient.connect({
      host: '127.0.0.1',
      port: sftpPort,
      username: 'fx_pul',
      password: 'pul-secret',
    });
    await client.put('metacoll/in/bib/1012676.pul.takeover.mrc', readFileSync(file));
    await client[Symbol.asyncDispose]();
    const progress = await midFile;
    a.child.kill('SIGKILL');
    eventsOfA.close();
    await a.exited;
    expect(await commitsOf(url, progress.fileId)).toBe(0);

    const done = await processedByB;
    expect(done.id).toBe(progress.fileId);
    expect(done.summary?.records).toBe(RECORDS);
    expect(await commitsOf(url, done.id)).toBe(1);
    const [row] = await query<{ replica: string; state: string }>(
      url,
      'SELECT replica, state FROM uploads WHERE id = $1',
      [done.id],
    );
    expect(row).toEqual({ replica: 'b', state: 'processed' });
    expect(await query(url, 'SELECT * FROM work_queue')).toEqual([]);
    // One report set, written where A's sender reads reports.
    const reports = readdirSync(join(dataDir, 'xfer', 'pul', 'metacoll', 'reports'));
    expect(reports.filter((n) => n.endsWith('.BibProcessingReport.txt'))).toHaveLength(1);
    expect(reports.filter((n) => n.startsWith('.'))).toEqual([]);
  }, 180_000);
});
