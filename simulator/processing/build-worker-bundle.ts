import { buildSync } from 'esbuild';
import { mkdirSync, renameSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SOURCE = fileURLToPath(new URL('./processing-worker.ts', import.meta.url));
/** Inside node_modules so the bundle's imports of native packages (better-sqlite3) resolve. */
const OUT_DIR = fileURLToPath(new URL('../../node_modules/.cache/datasync-sim/', import.meta.url));

let built: URL | undefined;

/**
 * Compiles the processing worker and everything it imports into one JavaScript file, once per
 * process. A worker running plain JavaScript needs no TypeScript loader, whose extra hooks thread
 * cost about 40 MB of RSS per worker (measured with npm run bench:processing).
 */
export function workerBundle(): URL {
  if (built) return built;
  // A compiled build (the Docker image) ships the worker prebuilt.
  const prebuilt = process.env['DATASYNC_SIM_WORKER_BUNDLE'];
  if (prebuilt) return (built = new URL(`file://${prebuilt}`));
  mkdirSync(OUT_DIR, { recursive: true });
  // Each process builds its own copy and renames it into place: concurrent builds write the same
  // bytes, so whichever rename lands last is as good as the first.
  const outfile = `${OUT_DIR}processing-worker.mjs`;
  const temp = `${OUT_DIR}processing-worker.${process.pid}.${process.hrtime.bigint()}.tmp.mjs`;
  buildSync({
    entryPoints: [SOURCE],
    outfile: temp,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'silent',
  });
  renameSync(temp, outfile);
  built = new URL(`file://${outfile}`);
  return built;
}
