// The client's `publish` (as users run it: node bin/datasync-sim.js publish) of one bib file to
// `serve`, beside OpenSSH `sftp put` of the same file to the same simulator, interleaved, median
// of the rounds; the client's peak RSS from GNU time. Two inputs: a 100k-record file (the last
// line) and a 1 GB one of 3M records (the line before it), for the memory goal at any size.
// Run: npm run bench:publish [-- records rounds bigRecords]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  createWriteStream,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateBibRecords } from '../oclc/marc/generate-bib-records.ts';
import { sftpBatch } from './support/openssh.ts';
import { BIN, buildOnce, median, startServe, writeBenchConfig } from './support/serve-process.ts';

const count = Number(process.argv[2] ?? 100_000);
const rounds = Number(process.argv[3] ?? 3);
const bigCount = Number(process.argv[4] ?? 3_000_000);
buildOnce();
const dir = mkdtempSync(join(tmpdir(), 'datasync-bench-publish-'));

/** A generated bib export (10% deletes spread through it); returns its path. */
async function exportFile(name: string, records: number): Promise<string> {
  const file = join(dir, name);
  const out = createWriteStream(file);
  for (const record of generateBibRecords({ count: records, seed: 11 }))
    if (!out.write(record.bytes)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  return file;
}

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
async function publishOnce(file: string, jobId: string): Promise<{ seconds: number; rssMb: number }> {
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
      jobId,
      file,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, OCLC_PASSWORD: 'bench' } },
  );
  const [code] = (await once(child, 'exit')) as [number | null];
  const seconds = (performance.now() - start) / 1000;
  if (code !== 0) throw new Error(`publish exited ${code}`);
  return { seconds, rssMb: Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop()) / 1024 };
}

interface Figures {
  mib: number;
  publish: number[];
  rss: number[];
  put: number[];
}

/** Interleaved rounds of publish and `sftp put` of one file; uploads are removed after each. */
async function measure(file: string, label: string): Promise<Figures> {
  const figures: Figures = { mib: statSync(file).size / 1024 / 1024, publish: [], rss: [], put: [] };
  for (let round = 0; round < rounds; round++) {
    const run = await publishOnce(file, `${label}${round}`);
    figures.publish.push(figures.mib / run.seconds);
    figures.rss.push(run.rssMb);
    const seconds = await sftpBatch(
      { port: serve.sftpPort, user: 'fx_pul', password: 'bench' },
      [`put ${file} metacoll/in/bib/1012676.pul.put${label}${round}.mrc`],
      dir,
    );
    figures.put.push(figures.mib / seconds);
    // Processing is manual, so every upload waits in the queue: removed, or 1 GB rounds fill the disk.
    const queue = join(dir, 'sim', 'data', 'queue');
    for (const name of readdirSync(queue)) rmSync(join(queue, name), { force: true });
    console.log(
      `${label} round ${round + 1}: publish ${(figures.publish.at(-1) ?? 0).toFixed(1)} MiB/s (${run.seconds.toFixed(2)} s, peak RSS ${run.rssMb.toFixed(0)} MB), ` +
        `sftp put ${(figures.put.at(-1) ?? 0).toFixed(1)} MiB/s (${seconds.toFixed(2)} s)`,
    );
  }
  return figures;
}

const line = (f: Figures): string =>
  `publish: ${median(f.publish).toFixed(1)} MiB/s, peak RSS ${Math.max(...f.rss).toFixed(0)} MB, sftp put: ${median(f.put).toFixed(1)} MiB/s`;
let small: Figures;
let big: Figures | undefined;
try {
  small = await measure(await exportFile('export.mrc', count), 'small');
  if (bigCount > 0) {
    const bigFile = await exportFile('big.mrc', bigCount);
    big = await measure(bigFile, 'big');
    rmSync(bigFile);
  }
} finally {
  await serve.stop();
  rmSync(dir, { recursive: true, force: true });
}
if (big)
  console.log(
    `${bigCount} records, ${big.mib.toFixed(0)} MiB: ${line(big)}, ratio ${(median(big.publish) / median(big.put)).toFixed(2)}`,
  );
console.log(
  `${count} records, ${small.mib.toFixed(0)} MiB, ratio ${(median(small.publish) / median(small.put)).toFixed(2)}`,
);
console.log(line(small));
