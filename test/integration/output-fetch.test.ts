import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../simulator/clock/clock.ts';
import { generateBibRecords } from '../../oclc/marc/generate-bib-records.ts';
import { writeProfile } from '../support/client-profile.ts';
import { runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startTestSimulator, type TestSimulator } from '../support/test-simulator.ts';

const ENV = { OCLC_PASSWORD: 'pul-secret' };
const DAY = 86_400_000;
const PRODUCTION =
  /^metacoll\.PUL\.(deletes|new|updates|merges)\.(D|W|M|Q)20\d{6}\.T\d{6}\.1012676\.\d+\.mrc$/;

interface Fetched {
  downloaded: { name: string; bytes: number; resumedFrom: number; unzipped: boolean }[];
  fetchedBefore: number;
  retries: number;
}

function outputSim(clock = new ManualClock(Date.UTC(2026, 0, 15, 15))): Promise<TestSimulator> {
  return startTestSimulator(
    {
      institutions: [
        {
          symbol: 'PUL',
          password: 'pul-secret',
          collections: [{ id: '1012676', type: 'bib', default: true, output: { enabled: true } }],
        },
      ],
      processing: 'immediate',
      clock: 'manual',
    },
    { clock },
  );
}

/** Publishes generated records as a file of their own and delivers the changes a minute later. */
async function deliver(
  { sim, clock }: { sim: TestSimulator; clock: ManualClock },
  name: string,
  count: number,
  seed: number,
): Promise<string> {
  const processed = sim.waitFor('file:processed', (f) => f.name === name);
  await sim.upload('PUL', name, Buffer.concat([...generateBibRecords({ count, seed })].map((r) => r.bytes)));
  await processed;
  const delivered = sim.waitFor('output:delivered');
  // A delivery's name carries its second: two in the same second would have the same name.
  clock.advance(60_000);
  await sim.output.deliver();
  const event = await delivered;
  expect(event.files).toHaveLength(1);
  return event.files[0]?.split('/').pop() ?? '';
}

const onServer = (sim: TestSimulator, name: string): string =>
  join(sim.dataDir, 'xfer', 'pul', 'metacoll', 'out', 'ongoing', 'new', name);

describe('output fetch', () => {
  it(
    'downloads each delivered file once, resumes an interrupted download, and unpacks zipped files',
    { timeout: 180_000 },
    async () => {
      const clock = new ManualClock(Date.UTC(2026, 0, 15, 15));
      await using sim = await outputSim(clock);
      using dir = tempDir();
      const profile = writeProfile(dir.path, sim);
      const out = join(dir.path, 'output');
      const fetch = async (profileFile = profile) => {
        const run = await runCli(['output', 'fetch', '--profile', profileFile, '--out', out, '--json'], {
          env: ENV,
        });
        return { ...run, result: run.code === 0 ? (JSON.parse(run.stdout) as Fetched) : undefined };
      };
      const first = await deliver({ sim, clock }, '1012676.pul.first.mrc', 1500, 11);
      expect(first).toMatch(PRODUCTION);
      const firstBytes = readFileSync(onServer(sim, first));
      expect(firstBytes.length).toBeGreaterThan(512 * 1024);

      // The link drops at the third READ of the file, and this profile does not retry.
      sim.faults.add({
        match: { operation: 'read', path: '/xfer/metacoll/out/**', nth: 3 },
        action: { lostReply: true },
        times: 1,
      });
      const noRetries = join(dir.path, 'no-retries.yaml');
      writeFileSync(noRetries, readFileSync(profile, 'utf8').replace('retries: 3', 'retries: 0'));
      const cut = await fetch(noRetries);
      expect(cut.code).toBe(69);
      expect(cut.stderr).toMatch(/connection to 127\.0\.0\.1:\d+ was lost/);
      const part = statSync(join(out, `${first}.part`)).size;
      expect(part).toBeGreaterThan(0);
      expect(part).toBeLessThan(firstBytes.length);
      expect(existsSync(join(out, first))).toBe(false);

      const resumed = await fetch();
      expect(resumed.stderr).toBe('');
      expect(resumed.result).toMatchObject({ fetchedBefore: 0, retries: 0 });
      expect(resumed.result?.downloaded).toEqual([
        {
          name: first,
          kind: 'new',
          remotePath: `/xfer/metacoll/out/ongoing/new/${first}`,
          bytes: firstBytes.length - part,
          resumedFrom: part,
          unzipped: false,
        },
      ]);
      expect(readFileSync(join(out, first)).equals(firstBytes)).toBe(true);
      expect(readdirSync(out)).toEqual([first]);

      // Fetched once means never again, even after the importer moved the file away.
      mkdirSync(join(dir.path, 'imported'));
      renameSync(join(out, first), join(dir.path, 'imported', first));
      const again = await fetch();
      expect(again.result).toEqual({ downloaded: [], fetchedBefore: 1, retries: 0 });

      // Within one run, a lost connection is retried and the download goes on where it stopped.
      const second = await deliver({ sim, clock }, '1012676.pul.second.mrc', 1500, 12);
      const secondBytes = readFileSync(onServer(sim, second));
      sim.faults.add({
        match: { operation: 'read', path: `/xfer/metacoll/out/ongoing/new/${second}`, nth: 2 },
        action: { lostReply: true },
        times: 1,
      });
      const retried = await fetch();
      expect(retried.result?.retries).toBe(1);
      expect(retried.result?.downloaded.map((f) => [f.name, f.resumedFrom > 0])).toEqual([[second, true]]);
      expect(readFileSync(join(out, second)).equals(secondBytes)).toBe(true);

      // After 7 days OCLC zips the files: a new one is unpacked, the ones fetched stay fetched.
      const third = await deliver({ sim, clock }, '1012676.pul.third.mrc', 20, 13);
      const thirdBytes = readFileSync(onServer(sim, third));
      const zipped = sim.waitFor('output:zipped', (e) => e.path.endsWith(`${third}.zip`));
      clock.advance(8 * DAY);
      await zipped;
      await sim.output.idle();
      expect(existsSync(`${onServer(sim, third)}.zip`)).toBe(true);
      const unzipped = await fetch();
      expect(unzipped.result).toMatchObject({ fetchedBefore: 2, retries: 0 });
      expect(unzipped.result?.downloaded).toEqual([
        expect.objectContaining({ name: third, unzipped: true, resumedFrom: 0 }),
      ]);
      expect(readFileSync(join(out, third)).equals(thirdBytes)).toBe(true);
      expect(readdirSync(out).sort()).toEqual([second, third].sort());
    },
  );

  it(
    'says what is wrong with the --out folder and with a profile, with documented exit codes',
    { timeout: 120_000 },
    async () => {
      await using sim = await outputSim();
      using dir = tempDir();
      const profile = writeProfile(dir.path, sim);
      const file = join(dir.path, 'a-file');
      writeFileSync(file, 'x');
      const notAFolder = await runCli(['output', 'fetch', '--profile', profile, '--out', file], { env: ENV });
      expect(notAFolder.code).toBe(2);
      expect(notAFolder.stderr).toContain(`Failed to write "${file}": output files folder`);
      const noPassword = await runCli([
        'output',
        'fetch',
        '--profile',
        profile,
        '--out',
        join(dir.path, 'o'),
      ]);
      expect(noPassword.code).toBe(2);
      expect(noPassword.stderr).toContain('OCLC_PASSWORD is not set in the environment');
      mkdirSync(join(dir.path, 'pinned-wrong'));
      const wrongKey = writeProfile(join(dir.path, 'pinned-wrong'), sim, {
        fingerprint: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      });
      const refused = await runCli(['output', 'fetch', '--profile', wrongKey, '--out', join(dir.path, 'o')], {
        env: ENV,
      });
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain('Failed to trust the server');
      const nothing = await runCli(['output', 'fetch', '--profile', profile, '--out', join(dir.path, 'o')], {
        env: ENV,
      });
      expect(nothing).toMatchObject({ code: 0, stderr: '' });
      expect(nothing.stdout).toBe(
        `downloaded 0 output file(s) to ${join(dir.path, 'o')}; 0 fetched before\n`,
      );
    },
  );

  it('--help teaches the folders, the names, resuming, the state and the next step', async () => {
    const help = await runCli(['output', 'fetch', '--help']);
    expect(help.code).toBe(0);
    for (const words of [
      '/xfer/metacoll/out/ongoing',
      'resumes',
      'never downloaded twice',
      'unpacked',
      'Next step',
      'Exit codes',
    ])
      expect(help.stdout).toContain(words);
  });
});
