// The client's `publish` (as users run it: node bin/datasync-sim.js publish) of one bib file to
// `serve`, beside OpenSSH `sftp put` of the same file to the same simulator, interleaved, median
// of the rounds; the client's peak RSS from GNU time.
// Run: npm run bench:publish [-- records rounds]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateBibRecords } from '../oclc/marc/generate-bib-records.ts';
import { sftpBatch } from './support/openssh.ts';
import { BIN, buildOnce, median, startServe, writeBenchConfig } from './support/serve-process.ts';

const count = Number(process.argv[2] ?? 100_000);
const rounds = Number(process.argv[3] ?? 3);
buildOnce();
const dir = mkdtempSync(join(tmpdir(), 'datasync-bench-publish-'));
const file = join(dir, 'export.mrc');
const out = createWriteStream(file);
for (const record of generateBibRecords({ count, seed: 11 }))
  if (!out.write(record.bytes)) await once(out, 'drain');
out.end();
await once(out, 'finish');
const mib = statSync(file).size / 1024 / 1024;

const serve = await startServe(writeBenchConfig(join(dir, 'sim')));
const profile = join(dir, 'profile.yaml');
writeFileSync(
  profile,
  `name: bench
symbol: PUL
collectionId: "1012676"
kind: bib
label: bench
sftp:
  host: 127.0.0.1
  port: ${serve.sftpPort}
  passwordEnv: OCLC_PASSWORD
  hostKey: { fingerprint: "${serve.hostKeyFingerprint}" }
state: ${join(dir, 'state')}
`,
);

/** Runs publish under GNU time: wall seconds and the client's peak RSS. */
async function publishOnce(round: number): Promise<{ seconds: number; rssMb: number }> {
  const timeFile = join(dir, 'time.txt');
  const start = performance.now();
  const child = spawn(
    '/usr/bin/time',
    [
      '-f',
      '%M',
      '-o',
      timeFile,
      process.execPath,
      BIN,
      'publish',
      '--profile',
      profile,
      '--json',
      '--job-id',
      `b${round}`,
      file,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, OCLC_PASSWORD: 'bench' } },
  );
  const [code] = (await once(child, 'exit')) as [number | null];
  const seconds = (performance.now() - start) / 1000;
  if (code !== 0) throw new Error(`publish exited ${code}`);
  return { seconds, rssMb: Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop()) / 1024 };
}

const publish: number[] = [];
const rss: number[] = [];
const put: number[] = [];
try {
  for (let round = 0; round < rounds; round++) {
    const run = await publishOnce(round);
    publish.push(mib / run.seconds);
    rss.push(run.rssMb);
    const seconds = await sftpBatch(
      { port: serve.sftpPort, user: 'fx_pul', password: 'bench' },
      [`put ${file} metacoll/in/bib/1012676.pul.put${round}.mrc`],
      dir,
    );
    put.push(mib / seconds);
    console.log(
      `round ${round + 1}: publish ${(publish.at(-1) ?? 0).toFixed(1)} MiB/s (${run.seconds.toFixed(2)} s, peak RSS ${run.rssMb.toFixed(0)} MB), ` +
        `sftp put ${(put.at(-1) ?? 0).toFixed(1)} MiB/s (${seconds.toFixed(2)} s)`,
    );
  }
} finally {
  await serve.stop();
  rmSync(dir, { recursive: true, force: true });
}
console.log(`${count} records, ${mib.toFixed(0)} MiB`);
console.log(
  `publish: ${median(publish).toFixed(1)} MiB/s, peak RSS ${Math.max(...rss).toFixed(0)} MB, sftp put: ${median(put).toFixed(1)} MiB/s`,
);
