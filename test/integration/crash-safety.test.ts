import Database from 'better-sqlite3';
import { once } from 'node:events';
import { createWriteStream, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateBibRecords } from '../../oclc/marc/generate-bib-records.ts';
import { AdminClient } from '../../scenarios/admin-client.ts';
import { startCli } from '../support/run-cli.ts';
import { SftpTestClient, connectAs } from '../support/sftp-test-client.ts';
import { startTestSimulator } from '../support/test-simulator.ts';
import { tempDir } from '../support/temp-dir.ts';

const RECORDS = 60_000;

async function serve(config: string) {
  const cli = await startCli(['serve', '--config', config], /press Ctrl\+C/);
  const port = Number(/sftp listening on 127\.0\.0\.1:(\d+)/.exec(cli.output())?.[1]);
  const admin = /admin listening on (\S+)/.exec(cli.output())?.[1] ?? '';
  return { ...cli, port, admin };
}

describe('crash safety', () => {
  it('a simulator killed mid-file applies nothing; after a restart the file is applied exactly once', async () => {
    using dir = tempDir();
    const dataDir = join(dir.path, 'data');
    const config = join(dir.path, 'sim.yaml');
    writeFileSync(
      config,
      `dataDir: ${dataDir}\nsftp: { port: 0 }\nadmin: { port: 0 }\nprocessing: immediate\ninstitutions:\n` +
        `  - { symbol: PUL, password: p, collections: [{ id: "1012676", type: bib }] }\n`,
    );
    const file = join(dir.path, 'big.mrc');
    const out = createWriteStream(file);
    for (const record of generateBibRecords({ count: RECORDS, seed: 11 }))
      if (!out.write(record.bytes)) await once(out, 'drain');
    out.end();
    await once(out, 'finish');

    const first = await serve(config);
    // Killed once the worker reports records read but the file is not done: mid-file by proof,
    // not by a guess at how long processing takes.
    const firstEvents = await new AdminClient(first.admin).subscribe();
    const midFile = firstEvents.waitFor('processing:progress', (p) => p.records > 0 && p.records < RECORDS, {
      timeoutMs: 60_000,
    });
    const client = await SftpTestClient.connect({
      host: '127.0.0.1',
      port: first.port,
      username: 'fx_pul',
      password: 'p',
    });
    await client.put('metacoll/in/bib/1012676.pul.crash.mrc', readFileSync(file));
    await client[Symbol.asyncDispose]();
    await midFile;
    first.child.kill('SIGKILL');
    firstEvents.close();
    await first.exited;

    const db = new Database(join(dataDir, 'state.sqlite'), { readonly: true });
    const holdingsAfterKill = (db.prepare('SELECT count(*) AS n FROM holdings').get() as { n: number }).n;
    const stateAfterKill = (db.prepare('SELECT state FROM uploads').get() as { state: string }).state;
    db.close();
    expect(stateAfterKill).toBe('processing');
    expect(holdingsAfterKill).toBe(0);
    expect(readdirSync(join(dataDir, 'xfer', 'pul', 'metacoll', 'reports'))).toEqual([]);

    const second = await serve(config);
    // Replayed from the start of the journal, so a file finished before the subscription is seen.
    await using secondEvents = await new AdminClient(second.admin).subscribe({ lastEventId: '0' });
    const done = await secondEvents.waitFor('file:processed', () => true, { timeoutMs: 60_000 });
    const holdings = (await (await fetch(`${second.admin}/api/institutions/PUL/holdings`)).json()) as {
      ocns: string[];
    };
    second.child.kill('SIGTERM');
    await second.exited;

    expect(done.summary?.records).toBe(RECORDS);
    const reports = readdirSync(join(dataDir, 'xfer', 'pul', 'metacoll', 'reports'));
    expect(reports.filter((n) => n.endsWith('.BibProcessingReport.txt'))).toHaveLength(1);
    const processingRows = readFileSync(
      join(
        dataDir,
        'xfer',
        'pul',
        'metacoll',
        'reports',
        reports.find((n) => n.endsWith('.BibProcessingReport.txt')) ?? '',
      ),
      'utf8',
    )
      .split('\n')
      .filter(Boolean);
    expect(processingRows).toHaveLength(RECORDS);
    // The reference: the same file processed by a simulator that never crashed.
    await using reference = await startTestSimulator({
      processing: 'manual',
      institutions: [{ symbol: 'PUL', password: 'p', collections: [{ id: '1012676', type: 'bib' }] }],
    });
    await using refClient = await connectAs(reference, 'fx_pul', 'p');
    await refClient.put('metacoll/in/bib/1012676.pul.crash.mrc', readFileSync(file));
    await reference.processing.run();
    expect(holdings.ocns).toEqual(reference.worldcat.holdings('PUL'));
  }, 120_000);
});
