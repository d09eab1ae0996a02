import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = fileURLToPath(new URL('./dashboard/', import.meta.url));

/** Bundles the dashboard (preact + our code, nothing fetched at run time) into `outDir`. */
export async function buildDashboard(outDir: string): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [join(here, 'app.tsx')],
    outfile: join(outDir, 'dashboard.js'),
    bundle: true,
    format: 'esm',
    minify: true,
    target: 'es2022',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    logLevel: 'warning',
  });
  copyFileSync(join(here, 'index.html'), join(outDir, 'index.html'));
  copyFileSync(join(here, 'dashboard.css'), join(outDir, 'dashboard.css'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildDashboard(process.argv[2] ?? fileURLToPath(new URL('../../dist/dashboard', import.meta.url)));
}
