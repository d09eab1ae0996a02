// Start-up time of the product as users run it: `serve` until it prints "admin listening", and
// `--help`, each beside `node -e 0` (the floor) measured in the same rounds.
// Run: npm run bench:startup [-- rounds]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, buildOnce, median, startServe, writeBenchConfig } from './support/serve-process.ts';

const rounds = Number(process.argv[2] ?? 7);
buildOnce();
const dir = mkdtempSync(join(tmpdir(), 'datasync-bench-startup-'));
const config = writeBenchConfig(dir);

function timed(args: string[]): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}`);
  return performance.now() - start;
}

async function serveMs(): Promise<number> {
  const start = performance.now();
  const serve = await startServe(config);
  const ms = serve.adminListeningAt - start;
  await serve.stop();
  return ms;
}

const serve: number[] = [];
const help: number[] = [];
const node: number[] = [];
await serveMs(); // creates the data dir and host key once, as a user's first run does
for (let round = 0; round < rounds; round++) {
  node.push(timed(['-e', '0']));
  help.push(timed([BIN, '--help']));
  serve.push(await serveMs());
}
rmSync(dir, { recursive: true, force: true });
const [s, h, n] = [serve, help, node].map((v) => median(v).toFixed(0));
console.log(`rounds: ${rounds}, medians; serve to "admin listening", --help to exit, node -e 0 to exit`);
console.log(`startup: serve ${s} ms, help ${h} ms, node ${n} ms`);
