import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTools } from '../support/require-tool.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startTestSimulator, type TestSimulator } from '../support/test-simulator.ts';
import { MATRIX_CLIENTS, type MatrixClient, type MatrixContext } from './matrix/matrix-clients.ts';

const README = new URL('../../README.md', import.meta.url);
const FIXTURE = new URL('../../scenarios/fixtures/bib-day1.mrc', import.meta.url);
const BIB = '/xfer/metacoll/in/bib';
const COLUMNS = [
  'upload, processed once',
  'defaults, pickupDelay 0s',
  'defaults, pickupDelay 3s',
  'refused `@`',
  'temp name + rename',
  'list',
  'download a report',
  'df / statvfs',
  'recommended settings',
] as const;

type Row = Record<(typeof COLUMNS)[number], string>;
const rows = new Map<string, Row>();

let dir: { path: string } & Disposable;
let sim: TestSimulator;
let delayed: TestSimulator;

beforeAll(async () => {
  requireTools('sftp', 'sshpass', 'lftp', 'curl', 'paramiko', 'rclone', 'psftp');
  dir = tempDir();
  copyFileSync(FIXTURE, join(dir.path, 'records.mrc'));
  sim = await startTestSimulator({ processing: 'immediate' });
  delayed = await startTestSimulator({ processing: 'immediate', pickupDelay: '3s' });
});

afterAll(async () => {
  await sim?.stop();
  await delayed?.stop();
  dir?.[Symbol.dispose]();
});

const context = (target: TestSimulator): MatrixContext => ({
  sim: target,
  dir: dir.path,
  user: 'fx_pul',
  password: 'pul-secret',
});

/** How often a name was processed once the queue is drained. */
async function timesProcessed(target: TestSimulator, name: string): Promise<number> {
  await target.processing.run();
  return target.files.list({ state: 'processed' }).filter((f) => f.name === name).length;
}

function slug(client: MatrixClient): string {
  return (
    client.name
      .split(' ')[0]
      ?.toLowerCase()
      .replace(/[^a-z0-9]/g, '') ?? 'client'
  );
}

describe('the interop matrix: seven real clients through one checklist', () => {
  it.each(MATRIX_CLIENTS.map((c) => [c.name, c] as const))('%s', async (_name, client) => {
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

    const refused = await client.put(ctx, 'records.mrc', `${BIB}/1012676.pul@.${s}.mrc`);
    expect(refused.ok).toBe(false);
    expect(sim.files.list().find((f) => f.name === `1012676.pul@.${s}.mrc`)?.state).toBe('refused');
    const reason = sim.files.list().find((f) => f.name === `1012676.pul@.${s}.mrc`)?.reason ?? '';
    const shows = reason !== '' && refused.out.includes(reason.slice(0, 40));

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
      'upload, processed once': '✓',
      'defaults, pickupDelay 0s': outcome(withDefaults.ok, times),
      'defaults, pickupDelay 3s': outcome(late.ok, delayedTimes),
      'refused `@`': shows ? 'shows the reason' : 'status only',
      'temp name + rename': temp.ok && renamed ? outcome(renamed.ok, renamedTimes) : '✗',
      list: listed.ok && listed.out.includes(report) ? '✓' : '✗',
      'download a report': gotOk ? '✓' : '✗',
      'df / statvfs': df === undefined ? 'n/a' : df.ok ? '✓' : '✗',
      'recommended settings': client.recommended,
    });
  });

  it('the README shows the table these runs produce', () => {
    const header = `| client | ${COLUMNS.join(' | ')} |`;
    const rule = `| --- | ${COLUMNS.map(() => '---').join(' | ')} |`;
    const lines = MATRIX_CLIENTS.map((c) => {
      const row = rows.get(c.name);
      return `| ${c.name} | ${COLUMNS.map((col) => row?.[col] ?? 'not run').join(' | ')} |`;
    });
    const table = [header, rule, ...lines].join('\n');
    const text = readFileSync(README, 'utf8');
    const start = '<!-- interop-matrix:start -->';
    const end = '<!-- interop-matrix:end -->';
    const current = text.slice(text.indexOf(start) + start.length, text.indexOf(end)).trim();
    if (process.env['UPDATE_INTEROP_MATRIX']) {
      const before = text.slice(0, text.indexOf(start) + start.length);
      writeFileSync(README, `${before}\n\n${table}\n\n${text.slice(text.indexOf(end))}`);
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
