import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

let built: URL | undefined;

/**
 * The processing worker's entry as plain JavaScript. A compiled package (dist/, the Docker image)
 * has it beside this file, built by `npm run build`. Only when running from the TypeScript sources
 * (this checkout's tests) is it bundled here, once per process, with esbuild, a devDependency:
 * a worker loading TypeScript through a loader would cost a hooks thread (~40 MB of RSS).
 */
export async function workerBundle(): Promise<URL> {
  if (built) return built;
  const override = process.env['DATASYNC_SIM_WORKER_BUNDLE'];
  if (override) return (built = new URL(`file://${override}`));
  const compiled = new URL('./processing-worker.js', import.meta.url);
  if (existsSync(compiled)) return (built = compiled);
  return (built = await bundleFromSources());
}

async function bundleFromSources(): Promise<URL> {
  const { buildSync } = await import('esbuild');
  const source = fileURLToPath(new URL('./processing-worker.ts', import.meta.url));
  // Inside node_modules so the bundle's imports of native packages (better-sqlite3) resolve.
  const outDir = fileURLToPath(new URL('../../node_modules/.cache/datasync-sim/', import.meta.url));
  mkdirSync(outDir, { recursive: true });
  // Each process builds its own copy and renames it into place: concurrent builds write the same
  // bytes, so whichever rename lands last is as good as the first.
  const outfile = `${outDir}processing-worker.mjs`;
  const temp = `${outDir}processing-worker.${process.pid}.${process.hrtime.bigint()}.tmp.mjs`;
  buildSync({
    entryPoints: [source],
    outfile: temp,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'silent',
  });
  renameSync(temp, outfile);
  return new URL(`file://${outfile}`);
}
