import { execFileSync } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProfile, publish as publishInProcess } from '../../client/index.ts';
import { SftpConnection } from '../../client/transport/sftp-connection.ts';
import { generateBibRecords } from '../../oclc/marc/generate-bib-records.ts';
import { writeProfile } from '../support/client-profile.ts';
import { runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startTestSimulator, type TestSimulator } from '../support/test-simulator.ts';

const ENV = { OCLC_PASSWORD: 'pul-secret' };
const PART = '1012676.pul.bibs_7_new.mrc';
const PART_PATH = `/xfer/metacoll/in/bib/${PART}`;

function exportFile(dir: string, count: number): string {
  const input = join(dir, 'export.mrc');
  writeFileSync(input, Buffer.concat([...generateBibRecords({ count, seed: 5 })].map((r) => r.bytes)));
  return input;
}

const publish = (sim: TestSimulator, dir: string, input: string) =>
  runCli(['publish', '--profile', writeProfile(dir, sim), '--job-id', '7', input], { env: ENV });

describe('our client against SFTP faults', () => {
  it('a connection dropped mid-part: the part is sent again whole and published once', async () => {
    await using sim = await startTestSimulator({ processing: 'manual' });
    using dir = tempDir();
    sim.faults.add({
      match: { operation: 'write', path: PART },
      action: { disconnect: { afterBytes: 40_000 } },
      times: 1,
    });
    const result = await publish(sim, dir.path, exportFile(dir.path, 400));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/uploaded after 2 attempts/);
    expect(
      sim.files
        .list()
        .filter((f) => f.name === PART)
        .map((f) => f.state),
    ).toEqual(['incomplete', 'queued']);
    expect(
      sim.journal.verify({ match: { operation: 'close', path: PART_PATH, status: 'ok' }, count: 1 }).ok,
    ).toBe(true);
  });

  it('a lost reply on CLOSE: the client finds the part arrived and does not publish it twice', async () => {
    await using sim = await startTestSimulator({ processing: 'manual' });
    using dir = tempDir();
    sim.faults.add({ match: { operation: 'close', path: PART }, action: { lostReply: true }, times: 1 });
    const result = await publish(sim, dir.path, exportFile(dir.path, 50));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/retrying .*\(attempt 2\)/);
    const verdict = sim.journal.verify({ match: { operation: 'open', path: PART_PATH }, count: 1 });
    expect(verdict.explanation).toBe(`found 1 open of ${PART_PATH}`);
    expect(
      sim.files
        .list()
        .filter((f) => f.name === PART)
        .map((f) => f.state),
    ).toEqual(['queued']);
  });

  it('a failed rename is reported with the server’s message', async () => {
    await using sim = await startTestSimulator();
    sim.faults.add({
      match: { operation: 'rename' },
      action: { status: 'failure', message: 'rename failed (fault rule)' },
    });
    await using connection = await SftpConnection.connect({
      host: sim.sftp.host,
      port: sim.sftp.port,
      user: 'fx_pul',
      auth: { password: 'pul-secret' },
      hostKey: { fingerprint: sim.sftp.hostKeyFingerprint },
    });
    await connection.upload('metacoll/in/bib/x.part', Buffer.from('data'));
    await expect(
      connection.rename('metacoll/in/bib/x.part', 'metacoll/in/bib/1012676.pul.x.mrc'),
    ).rejects.toThrow('the server refused it: rename failed (fault rule)');
  });

  it('an unreadable record stops publish (exit 2) before a byte is sent, though it connected while reading', async () => {
    await using sim = await startTestSimulator({ processing: 'manual' });
    using dir = tempDir();
    const input = exportFile(dir.path, 200);
    appendFileSync(input, '00099nam a2200037 a 4500 not a record');
    const result = await publish(sim, dir.path, input);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('Failed to read');
    expect(sim.files.list()).toEqual([]);
    expect(sim.journal.verify({ match: { operation: 'open' }, count: 0 }).ok).toBe(true);
  });

  it('a link made while the input was read and dropped since (idle timeout) is made again, not a failed attempt', async () => {
    await using sim = await startTestSimulator({
      processing: 'manual',
      sftp: { host: '127.0.0.1', port: 0, idleTimeout: '300ms' },
    });
    using dir = tempDir();
    // An empty FIFO after the export holds the read pass open until the server has hung up on
    // the idle login (empty, so no part's bytes are read back from it).
    const input = exportFile(dir.path, 5);
    const fifo = join(dir.path, 'more.mrc');
    execFileSync('mkfifo', [fifo]);
    const loaded = loadProfile(writeProfile(dir.path, sim), { env: ENV });
    const profile = { ...loaded, sftp: { ...loaded.sftp, retries: 0 } };
    const idle = sim.waitFor('sftp:limited', (e) => e.limit === 'idleTimeout');
    const published = publishInProcess({ profile, files: [input, fifo], jobId: '7' });
    await idle;
    await writeFile(fifo, '');
    const result = await published;
    expect(result.parts.map((p) => [p.outcome, p.attempts])).toEqual(result.parts.map(() => ['uploaded', 1]));
    expect(sim.files.list().map((f) => f.state)).toEqual(result.parts.map(() => 'queued'));
  });

  it('a rotated host key: publish refuses the server (exit 3) and sends nothing', async () => {
    await using sim = await startTestSimulator();
    using dir = tempDir();
    const profile = writeProfile(dir.path, sim);
    const old = sim.sftp.hostKeyFingerprint;
    const { fingerprint } = sim.sftp.rotateHostKey();
    const result = await runCli(['publish', '--profile', profile, exportFile(dir.path, 5)], { env: ENV });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`its host key ${fingerprint} does not match the pinned ${old}`);
    expect(sim.files.list()).toEqual([]);
  });
});
