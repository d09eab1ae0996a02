import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateBibRecords } from '../../oclc/marc/generate-bib-records.ts';
import { ManualClock } from '../../simulator/clock/clock.ts';
import { requireTools } from '../support/require-tool.ts';
import { connectAs } from '../support/sftp-test-client.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startTestSimulator, TEST_INSTITUTIONS, type TestSimulator } from '../support/test-simulator.ts';
import { MATRIX_CLIENTS, type MatrixClient, type MatrixContext } from './matrix/matrix-clients.ts';

const INTEROP_PAGE = new URL('../../docs/interop.md', import.meta.url);
const FIXTURE = new URL('../../scenarios/fixtures/bib-day1.mrc', import.meta.url);
const BIB = '/xfer/metacoll/in/bib';
const COLUMNS = [
  'upload, processed once',
  'defaults, pickupDelay 0s',
  'defaults, pickupDelay 3s',
  'refused `@` `$` `#`',
  'temp name + rename',
  'list',
  'download a report',
  'df / statvfs',
  'log in with a key',
  'resume',
  'resume under the final name',
  'dropped connection, retry',
  'recommended settings',
] as const;

type Column = (typeof COLUMNS)[number];
const rows = new Map<string, Partial<Record<Column, string>>>();
const cell = (client: MatrixClient, column: Column, text: string): void => {
  rows.set(client.name, { ...rows.get(client.name), [column]: text });
};

/** A file large enough that a client is still sending when its connection is cut. */
const BIG = 'big.mrc';
const CUT_AFTER = 300_000;
const RESUME_PICKUP_DELAY_MS = 600_000;

let dir: { path: string } & Disposable;
let sim: TestSimulator;
let delayed: TestSimulator;
/** Keeps a temporary file its session left (pickup delay 10 min on a manual clock) for a resume. */
let resumable: TestSimulator;
let clock: ManualClock;
let bigSha256: string;

beforeAll(async () => {
  requireTools('sftp', 'sshpass', 'ssh-keygen', 'lftp', 'curl', 'paramiko', 'rclone', 'psftp', 'puttygen');
  dir = tempDir();
  copyFileSync(FIXTURE, join(dir.path, 'records.mrc'));
  const big = Buffer.concat([...generateBibRecords({ count: 12_000, seed: 14 })].map((r) => r.bytes));
  writeFileSync(join(dir.path, BIG), big);
  bigSha256 = createHash('sha256').update(big).digest('hex');
  const key = join(dir.path, 'id_matrix');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'matrix', '-f', key]);
  execFileSync('puttygen', [key, '-O', 'private', '-o', `${key}.ppk`]);
  const institutions = TEST_INSTITUTIONS.map((inst) =>
    inst.symbol === 'PUL' ? { ...inst, publicKeys: [readFileSync(`${key}.pub`, 'utf8').trim()] } : inst,
  );
  sim = await startTestSimulator({ processing: 'immediate', institutions });
  delayed = await startTestSimulator({ processing: 'immediate', pickupDelay: '3s' });
  clock = new ManualClock();
  resumable = await startTestSimulator(
    { processing: 'immediate', pickupDelay: `${RESUME_PICKUP_DELAY_MS / 1000}s` },
    { clock },
  );
});

afterAll(async () => {
  await sim?.stop();
  await delayed?.stop();
  await resumable?.stop();
  dir?.[Symbol.dispose]();
});

const context = (target: TestSimulator, options: { key?: boolean } = {}): MatrixContext => ({
  sim: target,
  dir: dir.path,
  user: 'fx_pul',
  password: 'pul-secret',
  ...(options.key ? { key: join(dir.path, 'id_matrix') } : {}),
});

/** How often a name was processed once the queue is drained. */
async function timesProcessed(target: TestSimulator, name: string): Promise<number> {
  return (await processed(target, name)).length;
}

async function processed(target: TestSimulator, name: string) {
  await target.processing.run();
  return target.files.list({ state: 'processed' }).filter((f) => f.name === name);
}

/** Bytes the newest handle on `path` wrote, as the journal recorded them. */
function bytesWritten(target: TestSimulator, path: string): number {
  return target.journal.operations({ operation: 'write', path, limit: 10_000 }).at(-1)?.bytes ?? 0;
}

const publicKeyLogins = (target: TestSimulator): number =>
  target.journal
    .list({ type: 'auth:accepted', limit: 10_000 })
    .filter((e) => (e.data as { method: string }).method === 'publickey').length;

function slug(client: MatrixClient): string {
  return (
    client.name
      .split(' ')[0]
      ?.toLowerCase()
      .replace(/[^a-z0-9]/g, '') ?? 'client'
  );
}

describe('the interop matrix: seven real clients through one checklist', () => {
  it.each(MATRIX_CLIENTS.map((c) => [c.name, c] as const))(
    '%s',
    async (_name, client) => {
      const ctx = context(sim);
      const s = slug(client);
      const good = `1012676.pul.${s}.mrc`;
      const put = await client.put(ctx, 'records.mrc', `${BIB}/${good}`);
      expect(put.ok, put.out).toBe(true);
      expect(await timesProcessed(sim, good)).toBe(1);

      const defaultsName = `1012676.pul.${s}-defaults.mrc`;
      const withDefaults = await client.put(ctx, 'records.mrc', `${BIB}/${defaultsName}`, { defaults: true });
      const times = await timesProcessed(sim, defaultsName);
      const pickedUp = delayed.waitFor('file:queued', (f) => f.name === defaultsName, { timeoutMs: 30_000 });
      const late = await client.put(context(delayed), 'records.mrc', `${BIB}/${defaultsName}`, {
        defaults: true,
      });
      await pickedUp;
      const delayedTimes = await timesProcessed(delayed, defaultsName);

      // An unencoded '@', '$' or '#': each refused, and the reason shown where the client can.
      const shown: boolean[] = [];
      for (const bad of [`1012676.pul@.${s}.mrc`, `1012676.pul.${s}$.mrc`, `1012676.pul.${s}#.mrc`]) {
        const refused = await client.put(ctx, 'records.mrc', `${BIB}/${bad}`);
        expect(refused.ok, refused.out).toBe(false);
        const record = sim.files.list().find((f) => f.name === bad);
        expect(record?.state, bad).toBe('refused');
        shown.push(refused.out.includes((record?.reason ?? '').slice(0, 40)));
      }
      const shows = shown.every(Boolean) ? 'shows the reason' : shown.some(Boolean) ? 'mixed' : 'status only';

      // Each step is its own session, and a temporary file a session leaves is kept only for the
      // pickup delay: rename on the simulator with a delay, then wait for the pickup.
      const later = context(delayed);
      const renamedName = `1012676.pul.${s}-renamed.mrc`;
      const renamedPickup = delayed
        .waitFor('file:queued', (f) => f.name === renamedName, { timeoutMs: 30_000 })
        .catch(() => undefined);
      const temp = await client.put(later, 'records.mrc', `${BIB}/${s}.part`);
      const renamed = temp.ok && (await client.rename(later, `${BIB}/${s}.part`, `${BIB}/${renamedName}`));
      if (renamed) await renamedPickup;
      const renamedTimes = await timesProcessed(delayed, renamedName);

      const report =
        sim.files.list({ state: 'processed' }).find((f) => f.name === good)?.summary?.reports[0] ?? '';
      const listed = await client.list(ctx, '/xfer/metacoll/reports');
      const got = await client.get(ctx, `/xfer/metacoll/reports/${report}`, `${s}-report.txt`);
      const gotOk = got.ok && readFileSync(join(dir.path, `${s}-report.txt`)).length > 0;
      const df = client.df ? await client.df(ctx, '/xfer/metacoll/in/bib') : undefined;

      const outcome = (ok: boolean, count: number) =>
        !ok && count === 1
          ? 'reports failure; processed once'
          : count === 1
            ? 'ok, processed once'
            : count === 0
              ? 'never processed'
              : 're-sent, processed more than once';
      rows.set(client.name, {
        ...rows.get(client.name),
        'upload, processed once': '✓',
        'defaults, pickupDelay 0s': outcome(withDefaults.ok, times),
        'defaults, pickupDelay 3s': outcome(late.ok, delayedTimes),
        'refused `@` `$` `#`': shows,
        'temp name + rename': temp.ok && renamed ? outcome(renamed.ok, renamedTimes) : '✗',
        list: listed.ok && listed.out.includes(report) ? '✓' : '✗',
        'download a report': gotOk ? '✓' : '✗',
        'df / statvfs': df === undefined ? 'n/a' : df.ok ? '✓' : '✗',
        'recommended settings': client.recommended,
      });
    },
    90_000,
  );

  it.each(MATRIX_CLIENTS.map((c) => [c.name, c] as const))(
    '%s logs in with a key',
    async (_name, client) => {
      const name = `1012676.pul.${slug(client)}-key.mrc`;
      const before = publicKeyLogins(sim);
      const put = await client.put(context(sim, { key: true }), 'records.mrc', `${BIB}/${name}`);
      const byKey = publicKeyLogins(sim) > before;
      const once = (await timesProcessed(sim, name)) === 1;
      cell(client, 'log in with a key', put.ok && byKey && once ? '✓' : `✗ ${put.out.trim().slice(0, 60)}`);
      expect(put.ok, put.out).toBe(true);
    },
    60_000,
  );

  it.each(MATRIX_CLIENTS.map((c) => [c.name, c] as const))(
    '%s resumes an upload interrupted under a temporary name',
    async (_name, client) => {
      if (!client.resume) {
        cell(client, 'resume', 'n/a (cannot resume an upload)');
        return;
      }
      const s = slug(client);
      const part = `${BIB}/${s}-resumed.mrc.part`;
      const final = `1012676.pul.${s}-resumed.mrc`;
      // Interrupted the same way for every client: a session that sent part of the file dropped.
      const interrupted = await connectAs(resumable, 'fx_pul', 'pul-secret');
      const handle = await interrupted.open(part, 'w');
      await interrupted.write(handle, readFileSync(join(dir.path, BIG)).subarray(0, CUT_AFTER), 0);
      const left = resumable.waitFor('upload:abandoned', (f) => f.name === `${s}-resumed.mrc.part`, {
        timeoutMs: 30_000,
      });
      interrupted.drop();
      await left;

      const ctx = context(resumable);
      const resumed = await client.resume(ctx, BIG, part);
      const sent = bytesWritten(resumable, part);
      const renamed = resumed.ok ? await client.rename(ctx, part, `${BIB}/${final}`) : resumed;
      clock.advance(RESUME_PICKUP_DELAY_MS);
      const files = await processed(resumable, final);
      const complete = files.length === 1 && files[0]?.sha256 === bigSha256;
      const size = readFileSync(join(dir.path, BIG)).length;
      cell(
        client,
        'resume',
        !resumed.ok || !renamed.ok
          ? `✗ ${(resumed.ok ? renamed : resumed).out.trim().slice(0, 60)}`
          : !complete
            ? `${client.resumeWith}: not processed whole once`
            : sent === size - CUT_AFTER
              ? `✓ ${client.resumeWith}`
              : `${client.resumeWith} sent it again whole`,
      );
      expect(complete, `${resumed.out}\n${renamed.out}`).toBe(true);
    },
    120_000,
  );

  it.each(MATRIX_CLIENTS.map((c) => [c.name, c] as const))(
    '%s asked to resume an upload interrupted under its final name',
    async (_name, client) => {
      if (!client.resume) {
        cell(client, 'resume under the final name', 'n/a');
        return;
      }
      const name = `1012676.pul.${slug(client)}-cut.mrc`;
      const interrupted = await connectAs(sim, 'fx_pul', 'pul-secret');
      const handle = await interrupted.open(`${BIB}/${name}`, 'w');
      await interrupted.write(handle, readFileSync(join(dir.path, BIG)).subarray(0, CUT_AFTER), 0);
      const cut = sim.waitFor('upload:incomplete', (f) => f.name === name, { timeoutMs: 30_000 });
      interrupted.drop();
      await cut;

      const resumed = await client.resume(context(sim), BIG, `${BIB}/${name}`);
      const files = await processed(sim, name);
      const whole = files.filter((f) => f.sha256 === bigSha256).length;
      cell(
        client,
        'resume under the final name',
        resumed.ok && files.length === 1 && whole === 1
          ? 'sends it whole again, processed once'
          : resumed.ok
            ? `reports success; processed ${files.length} times, ${whole} whole`
            : resumed.out.includes('cannot be resumed')
              ? 'refused, shows why'
              : 'refused, status only',
      );
      expect(whole).toBe(files.length);
    },
    120_000,
  );

  it.each(MATRIX_CLIENTS.map((c) => [c.name, c] as const))(
    '%s, its connection cut mid-upload by a disconnect fault',
    async (_name, client) => {
      const name = `1012676.pul.${slug(client)}-dropped.mrc`;
      const rule = sim.faults.add({
        match: { operation: 'write', path: `${BIB}/${name}` },
        action: { disconnect: { afterBytes: CUT_AFTER } },
        times: 1,
      });
      const put = await client.put(context(sim), BIG, `${BIB}/${name}`, { retry: true });
      const fired = !sim.faults.unused().some((r) => r.id === rule.id);
      const files = await processed(sim, name);
      const whole = files.filter((f) => f.sha256 === bigSha256).length;
      const runs = sim.journal.operations({ operation: 'processing', path: name }).length;
      const outcome = !fired
        ? 'the fault never fired'
        : put.ok && files.length === 1 && whole === 1
          ? `retries ${client.retryWith ?? ''}, processed once`.replace('  ', ' ')
          : !put.ok && files.length === 0
            ? client.retryWith
              ? 'retry failed, nothing processed'
              : 'fails (no retry), nothing processed'
            : files.length > 1
              ? 're-sent, processed more than once'
              : whole === 0 && files.length === 1
                ? 'a truncated file was processed'
                : `${put.ok ? 'reports success' : 'reports failure'}; processed ${files.length} times`;
      cell(client, 'dropped connection, retry', outcome);
      expect(fired).toBe(true);
      expect(files.length).toBeLessThanOrEqual(1);
      expect(whole).toBe(files.length);
      expect(runs).toBe(files.length);
    },
    120_000,
  );

  it('docs/interop.md shows the table these runs produce', () => {
    const header = `| client | ${COLUMNS.join(' | ')} |`;
    const rule = `| --- | ${COLUMNS.map(() => '---').join(' | ')} |`;
    const lines = MATRIX_CLIENTS.map((c) => {
      const row = rows.get(c.name);
      return `| ${c.name} | ${COLUMNS.map((col) => row?.[col] ?? 'not run').join(' | ')} |`;
    });
    const table = [header, rule, ...lines].join('\n');
    const text = readFileSync(INTEROP_PAGE, 'utf8');
    const start = '<!-- interop-matrix:start -->';
    const end = '<!-- interop-matrix:end -->';
    const current = text.slice(text.indexOf(start) + start.length, text.indexOf(end)).trim();
    if (process.env['UPDATE_INTEROP_MATRIX']) {
      const before = text.slice(0, text.indexOf(start) + start.length);
      writeFileSync(INTEROP_PAGE, `${before}\n\n${table}\n\n${text.slice(text.indexOf(end))}`);
      return;
    }
    expect(normalise(current)).toBe(normalise(table));
  });
});

/** Prettier pads table cells; compare cell contents only. */
function normalise(table: string): string {
  return table
    .split('\n')
    .map((line) =>
      line
        .split('|')
        .map((cell) => cell.trim().replace(/^-+$/, '---'))
        .join('|'),
    )
    .join('\n');
}
