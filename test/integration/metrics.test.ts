import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { parseScrape, sampleValue } from '../support/prometheus-text.ts';
import { connectAs } from '../support/sftp-test-client.ts';
import { startTestSimulator, type TestSimulator } from '../support/test-simulator.ts';

const BIB = readFileSync(new URL('../../scenarios/fixtures/bib-day1.mrc', import.meta.url));
const TOKEN = 'metrics-test-token';

const scrape = async (sim: TestSimulator, token = TOKEN) => {
  const response = await fetch(`${sim.adminUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseScrape(await response.text());
};

describe('GET /metrics', () => {
  it('counts a real SFTP upload, its processing, logins, faults and API calls, by namespace', async () => {
    await using sim = await startTestSimulator({ processing: 'immediate', admin: { token: TOKEN } });
    const before = await scrape(sim);
    const ns = { namespace: 'default' };
    expect(sampleValue(before, 'datasync_uploads_total', ns)).toBe(0);
    expect(sampleValue(before, 'datasync_queue_depth', ns)).toBe(0);
    expect(sampleValue(before, 'datasync_sftp_sessions', ns)).toBe(0);

    sim.faults.add({ match: { operation: 'login', account: 'fx_pul' }, action: { refuse: true }, times: 1 });
    await expect(connectAs(sim, 'fx_pul', 'pul-secret')).rejects.toThrow();
    const client = await connectAs(sim, 'fx_pul', 'pul-secret');
    const processed = sim.waitFor('file:processed');
    await client.put('metacoll/in/bib/1012676.pul.a.mrc', BIB);
    const file = await processed;
    const during = await scrape(sim);
    expect(sampleValue(during, 'datasync_sftp_sessions', ns)).toBe(1);
    await client[Symbol.asyncDispose]();
    await fetch(`${sim.adminUrl}/api/files`);

    const after = await scrape(sim);
    const delta = (name: string, labels: Record<string, string> = {}) =>
      sampleValue(after, name, { ...ns, ...labels }) - sampleValue(before, name, { ...ns, ...labels });
    expect(delta('datasync_uploads_total', { folder: '/xfer/metacoll/in/bib' })).toBe(1);
    expect(delta('datasync_upload_bytes_total', { folder: '/xfer/metacoll/in/bib' })).toBe(BIB.length);
    expect(delta('datasync_files_total', { outcome: 'processed' })).toBe(1);
    expect(delta('datasync_processing_duration_seconds_count', { kind: 'bib' })).toBe(1);
    expect(delta('datasync_processing_duration_seconds_sum', { kind: 'bib' })).toBeGreaterThan(0);
    expect(delta('datasync_records_total')).toBe(file.summary?.records);
    expect(delta('datasync_reports_written_total')).toBe(file.summary?.reports.length);
    expect(delta('datasync_faults_fired_total', { operation: 'login' })).toBe(1);
    expect(delta('datasync_sftp_logins_total', { result: 'accepted' })).toBe(1);
    expect(delta('datasync_sftp_logins_total', { result: 'refused' })).toBe(1);
    expect(delta('datasync_api_requests_total', { method: 'GET', status: '401' })).toBe(1);
    expect(sampleValue(after, 'datasync_sftp_sessions', ns)).toBe(0);
    expect(sampleValue(after, 'datasync_queue_depth', ns)).toBe(0);
    expect(after.get('datasync_event_loop_lag_seconds')?.[0]?.value).toBeGreaterThanOrEqual(0);
  });

  it('reports queued files as queue depth, and counts what came before the first scrape', async () => {
    await using sim = await startTestSimulator({ processing: 'manual' });
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    await client.put('metacoll/in/bib/1012676.pul.a.mrc', BIB);
    await client.put('metacoll/in/bib/1012676.pul.b.mrc', BIB);
    // Nothing scraped before: what happened until the first scrape is counted all the same.
    const first = await scrape(sim);
    expect(sampleValue(first, 'datasync_queue_depth', { namespace: 'default' })).toBe(2);
    expect(sampleValue(first, 'datasync_uploads_total', { namespace: 'default' })).toBe(2);
    expect(sampleValue(first, 'datasync_sftp_logins_total', { result: 'accepted' })).toBe(1);
  });

  it('counts connections refused by a limit, by limit', async () => {
    await using sim = await startTestSimulator({
      sftp: { host: '127.0.0.1', port: 0, maxStartupsPerAddress: 1, defender: false },
    });
    const first = connect(sim.sftp.port, sim.sftp.host);
    await once(first, 'data');
    const limited = sim.waitFor('sftp:limited');
    const second = connect(sim.sftp.port, sim.sftp.host).resume();
    await once(second, 'close');
    await limited;
    const after = await scrape(sim);
    const labels = { namespace: 'default', limit: 'maxStartupsPerAddress' };
    expect(sampleValue(after, 'datasync_sftp_limited_total', labels)).toBe(1);
    first.destroy();
  });

  it('needs the admin token when one is set', async () => {
    await using sim = await startTestSimulator({ admin: { token: TOKEN } });
    expect((await fetch(`${sim.adminUrl}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${sim.adminUrl}/metrics`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
  });
});
