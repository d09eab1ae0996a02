// LHR processing through `serve` as users run it: a generated 1M-record LHR file (two copies per
// OCN, the copies of each OCN half a file apart so replace-all must group across the whole file),
// beside marcjs parsing the same file, interleaved, median of the rounds.
// Run: npm run bench:lhr [-- records rounds]
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateLhrRecords } from '../oclc/marc/generate-lhr-records.ts';
import { marcjsRate, processThroughServe } from './support/process-through-serve.ts';
import { buildOnce, median } from './support/serve-process.ts';

const count = Number(process.argv[2] ?? 1_000_000);
const rounds = Number(process.argv[3] ?? 3);
buildOnce();
const dir = mkdtempSync(join(tmpdir(), 'datasync-bench-lhr-'));
const file = join(dir, `1012677.pul.lhr${count}.mrc`);
const out = createWriteStream(file);
for (const copy of [0, 1])
  for (const r of generateLhrRecords({ count, seed: 7, symbol: 'PUL', copiesPerOcn: 2 }))
    if (r.index % 2 === copy && !out.write(r.bytes)) await once(out, 'drain');
out.end();
await once(out, 'finish');

const rates: number[] = [];
const rss: number[] = [];
const marcjs: number[] = [];
try {
  for (let round = 0; round < rounds; round++) {
    const run = await processThroughServe(file, `metacoll/in/lhr/${file.split('/').pop()}`, join(dir, 'sim'));
    if (run.records !== count) throw new Error(`processed ${run.records} records, not ${count}`);
    rates.push(run.records / run.seconds);
    rss.push(run.peakRssMb);
    marcjs.push(marcjsRate(file));
    console.log(
      `round ${round + 1}: ${count} records (${(statSync(file).size / 1e6).toFixed(0)} MB) in ${run.seconds.toFixed(1)} s = ` +
        `${(rates.at(-1) ?? 0).toFixed(0)} records/s, peak RSS ${run.peakRssMb.toFixed(0)} MB; marcjs ${(marcjs.at(-1) ?? 0).toFixed(0)} records/s`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`marcjs stream on the same file: ${median(marcjs).toFixed(0)} records/s`);
console.log(`lhr: ${median(rates).toFixed(0)} records/s, peak RSS ${Math.max(...rss).toFixed(0)} MB`);
