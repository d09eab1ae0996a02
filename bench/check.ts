// Preflight speed and memory: `datasync-sim check` on a generated ISO 2709 file, against
// yaz-marcdump (Debian package yaz) parsing the same file without output, rounds interleaved.
// Run: npm run bench:check [-- RECORDS]   (default 500000)
import { spawnSync } from 'node:child_process';
import { buildSync } from 'esbuild';
import { mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const count = Number(process.argv[2] ?? 500_000);
const ROUNDS = 3;
const here = new URL('.', import.meta.url).pathname;

const yaz = spawnSync('sh', ['-c', 'command -v yaz-marcdump'], { encoding: 'utf8' }).stdout.trim();
if (!yaz) {
  console.error('bench:check needs yaz-marcdump for its baseline: apt-get install -y yaz');
  process.exit(1);
}

// The CLI runs compiled, as the Docker image and an installed package run it: TypeScript loaded
// through tsx adds a hooks thread and its memory, which users of the built CLI do not have.
const dir = mkdtempSync(join(tmpdir(), 'datasync-bench-check-'));
buildSync({
  entryPoints: [join(here, '../cli/cli-entry.ts')],
  outfile: join(dir, 'datasync-sim.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
symlinkSync(join(here, '..', 'node_modules'), join(dir, 'node_modules'));
const cli = (args: string[]) =>
  spawnSync(process.execPath, [join(dir, 'datasync-sim.mjs'), ...args], { encoding: 'utf8' });

// Defects that leave the framing intact, so yaz-marcdump reads every record too.
const file = join(dir, '1012676.pul.bench.mrc');
const generated = cli([
  'marc',
  'generate',
  '--count',
  String(count),
  '--seed',
  '42',
  '--defects',
  'sparse=100,no-lsn=100,repeated-245a=100',
  '--out',
  file,
]);
if (generated.status !== 0) throw new Error(`marc generate failed: ${generated.stderr}`);
const mb = statSync(file).size / 1e6;

function timed(run: () => { status: number | null; stderr: string }): { seconds: number; stderr: string } {
  const start = performance.now();
  const result = run();
  const seconds = (performance.now() - start) / 1000;
  // check exits 3: the planted defects would be refused.
  if (result.status !== 0 && result.status !== 3)
    throw new Error(`failed (${result.status}): ${result.stderr}`);
  return { seconds, stderr: result.stderr };
}

const checkRates: number[] = [];
const rss: number[] = [];
const yazRates: number[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  const check = timed(() => cli(['check', file, '--stats', '--format', 'json', '--out', '/dev/null']));
  const stats = /check: (\d+) records in [\d.]+ s = (\d+) records\/s, peak RSS (\d+) MB/.exec(check.stderr);
  if (!stats || Number(stats[1]) !== count) throw new Error(`unexpected --stats output: ${check.stderr}`);
  rss.push(Number(stats[3]));
  checkRates.push(Number(stats[2]));
  const baseline = timed(() => spawnSync(yaz, ['-n', file], { encoding: 'utf8' }));
  yazRates.push(count / baseline.seconds);
  console.log(
    `round ${round}: check ${stats[2]} records/s as --stats prints it (${Math.round(count / check.seconds)} ` +
      `with start-up), peak RSS ${stats[3]} MB; yaz-marcdump -n ${Math.round(count / baseline.seconds)} records/s`,
  );
}
rmSync(dir, { recursive: true, force: true });

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
console.log(
  `${count} records (${mb.toFixed(0)} MB), median of ${ROUNDS} interleaved rounds; check's rate is its own ` +
    '(--stats: from opening the file to its last record), yaz-marcdump is timed around its process:',
);
console.log(
  `check: ${Math.round(median(checkRates))} records/s, peak RSS ${Math.max(...rss)} MB, yaz-marcdump: ${Math.round(median(yazRates))} records/s`,
);
