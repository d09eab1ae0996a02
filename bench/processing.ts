// Processing throughput and memory: generates N-record bib files, uploads each over SFTP to a
// simulator, then processes it in a fresh simulator process (so peak RSS is processing's own),
// and parses the same file with a plain marcjs stream for comparison.
// Run: npm run bench:processing [-- 100000,1000000]
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { buildSync } from 'esbuild';
import { createWriteStream, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateBibRecords } from '../oclc/marc/generate-bib-records.ts';

const sizes = (process.argv[2] ?? '100000,1000000').split(',').map(Number);
const here = new URL('.', import.meta.url).pathname;

interface PhaseResult {
  seconds: number;
  records: number;
  maxRssMb: number;
}

// The phases run compiled, as the Docker image runs the simulator: TypeScript loaded through tsx
// costs a hooks thread (~40 MB of RSS) that a deployed simulator does not have.
const compiled = mkdtempSync(join(tmpdir(), 'datasync-bench-build-'));
const build = (entry: string, out: string): void => {
  buildSync({
    entryPoints: [join(here, entry)],
    outfile: join(compiled, out),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
};
build('processing-phase.ts', 'processing-phase.mjs');
build('../simulator/processing/processing-worker.ts', 'processing-worker.mjs');
// The bundles import packages by name: resolve them from this checkout's node_modules.
symlinkSync(join(here, '..', 'node_modules'), join(compiled, 'node_modules'));

function phase(name: string, args: string[]): PhaseResult {
  const result = spawnSync(process.execPath, [join(compiled, 'processing-phase.mjs'), name, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, DATASYNC_SIM_WORKER_BUNDLE: join(compiled, 'processing-worker.mjs') },
  });
  if (result.status !== 0) throw new Error(`${name} phase failed (exit ${result.status}): ${result.stdout}`);
  return JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') as PhaseResult;
}

let last = '';
for (const count of sizes) {
  const dir = mkdtempSync(join(tmpdir(), 'datasync-bench-'));
  const file = join(dir, `1012676.pul.bench${count}.mrc`);
  const out = createWriteStream(file);
  for (const record of generateBibRecords({ count, seed: 42 }))
    if (!out.write(record.bytes)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  const mb = statSync(file).size / 1e6;
  phase('upload', [dir, file]);
  const processing = phase('process', [dir]);
  const marcjs = phase('marcjs', [file]);
  const rate = Math.round(processing.records / processing.seconds);
  const marcjsRate = Math.round(marcjs.records / marcjs.seconds);
  console.log(
    `${count} records (${mb.toFixed(0)} MB): processed in ${processing.seconds.toFixed(2)} s = ${rate} records/s, ` +
      `peak RSS ${processing.maxRssMb.toFixed(0)} MB; marcjs stream parsed ${marcjs.records} records in ${marcjs.seconds.toFixed(2)} s`,
  );
  last = `processing: ${rate} records/s, peak RSS ${processing.maxRssMb.toFixed(0)} MB, marcjs stream: ${marcjsRate} records/s`;
  rmSync(dir, { recursive: true, force: true });
}
rmSync(compiled, { recursive: true, force: true });
console.log(last);
