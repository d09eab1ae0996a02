// Bib processing through `serve` as users run it: generated 100k- and 1M-record files, each
// uploaded with OpenSSH sftp and processed by a fresh `serve` (peak RSS is the whole process,
// worker included), beside marcjs parsing the same file, interleaved, median of the rounds.
// Run: npm run bench:processing [-- 100000,1000000 rounds]
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateBibRecords } from '../oclc/marc/generate-bib-records.ts';
import { marcjsRate, processThroughServe } from './support/process-through-serve.ts';
import { buildOnce, median } from './support/serve-process.ts';

const sizes = (process.argv[2] ?? '100000,1000000').split(',').map(Number);
const rounds = Number(process.argv[3] ?? 3);
buildOnce();
const dir = mkdtempSync(join(tmpdir(), 'datasync-bench-processing-'));
const files = new Map<number, string>();
for (const count of sizes) {
  const file = join(dir, `1012676.pul.bench${count}.mrc`);
  const out = createWriteStream(file);
  for (const record of generateBibRecords({ count, seed: 42 }))
    if (!out.write(record.bytes)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  files.set(count, file);
}

// A second client's 100 MiB upload, once idle and once while the largest file processes.
const alongside = { file: join(dir, 'alongside.bin'), mib: 100 };
spawnSync('sh', ['-c', `head -c ${alongside.mib * 1024 * 1024} /dev/urandom > ${alongside.file}`]);
const uploads = { idle: [] as number[], busy: [] as number[] };
const results = new Map(
  sizes.map((n) => [n, { rates: [] as number[], rss: [] as number[], marcjs: [] as number[] }]),
);
try {
  for (let round = 0; round < rounds; round++) {
    for (const count of sizes) {
      const file = files.get(count) ?? '';
      const result = results.get(count);
      if (!result) continue;
      const run = await processThroughServe(
        file,
        `metacoll/in/bib/${file.split('/').pop()}`,
        join(dir, 'sim'),
        count === sizes.at(-1) ? { uploadAlongside: alongside } : {},
      );
      if (run.upload) {
        uploads.idle.push(run.upload.idleMiBs);
        uploads.busy.push(run.upload.busyMiBs);
      }
      if (run.records !== count) throw new Error(`processed ${run.records} records, not ${count}`);
      result.rates.push(run.records / run.seconds);
      result.rss.push(run.peakRssMb);
      result.marcjs.push(marcjsRate(file));
      console.log(
        `round ${round + 1}: ${count} records (${(statSync(file).size / 1e6).toFixed(0)} MB) in ${run.seconds.toFixed(1)} s = ` +
          `${(result.rates.at(-1) ?? 0).toFixed(0)} records/s, peak RSS ${run.peakRssMb.toFixed(0)} MB; ` +
          `marcjs ${(result.marcjs.at(-1) ?? 0).toFixed(0)} records/s`,
      );
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const line = (count: number, prefix: string): string => {
  const r = results.get(count) ?? { rates: [0], rss: [0], marcjs: [0] };
  return `${prefix}: ${median(r.rates).toFixed(0)} records/s, peak RSS ${Math.max(...r.rss).toFixed(0)} MB, marcjs stream: ${median(r.marcjs).toFixed(0)} records/s`;
};
const last = sizes.at(-1) ?? 0;
const [idle, busy] = [median(uploads.idle), median(uploads.busy)];
console.log(
  `upload of ${alongside.mib} MiB while ${last} records process: ${busy.toFixed(1)} MiB/s, idle: ${idle.toFixed(1)} MiB/s, ratio ${(busy / idle).toFixed(2)}`,
);
for (const count of sizes.slice(0, -1)) console.log(line(count, `${count} records`));
console.log(line(last, 'processing'));
