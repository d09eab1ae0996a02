// Load on a served simulator, as users run it: 100 SFTP connections churned (log in, one request,
// log out) while 20 uploads run at once, and GET /api/health timed throughout. Each round also
// times /api/health with no load (the baseline), interleaved; medians of the rounds' percentiles.
// Run: npm run bench:load [-- rounds]
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SftpTestClient } from '../test/support/sftp-test-client.ts';
import { buildOnce, median, startServe } from './support/serve-process.ts';

const rounds = Number(process.argv[2] ?? 3);
const CHURN = 100;
const CHURN_AT_ONCE = 10;
const UPLOADS = 20;
const UPLOAD_BYTES = 4 * 1024 * 1024;

buildOnce();
const dir = mkdtempSync(join(tmpdir(), 'datasync-bench-load-'));
mkdirSync(dir, { recursive: true });
const config = join(dir, 'load.yaml');
writeFileSync(
  config,
  `dataDir: ${join(dir, 'data')}
sftp: { host: 127.0.0.1, port: 0, maxStartupsPerAddress: 100 } # one address plays 30 clients
admin: { host: 127.0.0.1, port: 0 }
processing: manual
minFreeSpace: 0
institutions:
  - { symbol: PUL, password: bench, collections: [{ id: "1012676", type: bib }] }
  - { symbol: NYP, password: churn, collections: [{ id: "1042671", type: bib }] }
`,
);
const serve = await startServe(config);
const login = (user: string, password: string) =>
  SftpTestClient.connect({ host: '127.0.0.1', port: serve.sftpPort, username: user, password });

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Times GET /api/health back to back until `done` settles (or `count` times). */
async function timeHealth(until: Promise<unknown> | number): Promise<number[]> {
  const times: number[] = [];
  let finished = false;
  if (typeof until !== 'number') void until.finally(() => (finished = true));
  while (typeof until === 'number' ? times.length < until : !finished) {
    const start = performance.now();
    const res = await fetch(`${serve.adminUrl}/api/health`);
    await res.arrayBuffer();
    times.push(performance.now() - start);
  }
  return times;
}

async function churn(): Promise<void> {
  for (let done = 0; done < CHURN; done += CHURN_AT_ONCE) {
    await Promise.all(
      Array.from({ length: CHURN_AT_ONCE }, async () => {
        const client = await login('fx_nyp', 'churn');
        await client.realpath('.');
        await client[Symbol.asyncDispose]();
      }),
    );
  }
}

async function upload(round: number, index: number): Promise<{ name: string; sha256: string }> {
  const data = Buffer.alloc(UPLOAD_BYTES, (round * UPLOADS + index) % 251);
  const name = `1012676.pul.load${round}x${index}.mrc`;
  const client = await login('fx_pul', 'bench');
  const handle = await client.open(`/xfer/metacoll/in/bib/${name}`, 'w');
  const chunk = 32 * 1024;
  for (let at = 0; at < data.length; at += chunk * 16) {
    const writes: Promise<void>[] = [];
    for (let o = at; o < Math.min(data.length, at + chunk * 16); o += chunk)
      writes.push(client.write(handle, data.subarray(o, o + chunk), o));
    await Promise.all(writes);
  }
  await client.close(handle);
  await client[Symbol.asyncDispose]();
  return { name, sha256: createHash('sha256').update(data).digest('hex') };
}

const idle: { p50: number; p99: number }[] = [];
const loaded: { p50: number; p99: number }[] = [];
const sent: { name: string; sha256: string }[] = [];
for (let round = 0; round < rounds; round++) {
  const quiet = await timeHealth(200);
  idle.push({ p50: percentile(quiet, 50), p99: percentile(quiet, 99) });
  const work = Promise.all([
    churn(),
    Promise.all(Array.from({ length: UPLOADS }, (_, i) => upload(round, i))),
  ]);
  const busy = await timeHealth(work);
  const [, uploads] = await work;
  sent.push(...uploads);
  loaded.push({ p50: percentile(busy, 50), p99: percentile(busy, 99) });
}

const files = (await (await fetch(`${serve.adminUrl}/api/files`)).json()) as {
  files: { name: string; state: string; sha256: string | null }[];
};
const kept = sent.filter((s) =>
  files.files.some((f) => f.name === s.name && f.state === 'queued' && f.sha256 === s.sha256),
).length;
await serve.stop();
rmSync(dir, { recursive: true, force: true });

const ms = (v: number): string => v.toFixed(1);
const med = (list: { p50: number; p99: number }[], key: 'p50' | 'p99'): number =>
  median(list.map((r) => r[key]));
console.log(
  `rounds: ${rounds}; each: ${CHURN} connections churned (${CHURN_AT_ONCE} at once) + ${UPLOADS} uploads of ${UPLOAD_BYTES / 2 ** 20} MiB at once`,
);
console.log(
  `load: /api/health p50 ${ms(med(loaded, 'p50'))} ms, p99 ${ms(med(loaded, 'p99'))} ms under load; ` +
    `idle p50 ${ms(med(idle, 'p50'))} ms, p99 ${ms(med(idle, 'p99'))} ms; uploads kept ${kept}/${sent.length}` +
    (kept === sent.length ? ', none lost' : ', SOME LOST'),
);
if (kept !== sent.length) process.exitCode = 1;
