import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const here = fileURLToPath(new URL('./dashboard/', import.meta.url));

/**
 * `import panels from 'dashboard:panels'`: every file in dashboard/panels/, sorted by name, so a
 * new panel is one new file there and nothing else to edit.
 */
const panelsPlugin: Plugin = {
  name: 'dashboard-panels',
  setup(b) {
    b.onResolve({ filter: /^dashboard:panels$/ }, () => ({ path: 'panels', namespace: 'dashboard-panels' }));
    b.onLoad({ filter: /.*/, namespace: 'dashboard-panels' }, () => {
      const dir = join(here, 'panels');
      const files = readdirSync(dir)
        .filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.d.ts'))
        .sort();
      const imports = files.map((f, i) => `import p${i} from ${JSON.stringify(join(dir, f))};`);
      return {
        contents: `${imports.join('\n')}\nexport default [${files.map((_, i) => `p${i}`).join(', ')}];\n`,
        loader: 'ts',
        resolveDir: dir,
        watchFiles: files.map((f) => join(dir, f)),
        watchDirs: [dir],
      };
    });
  },
};

/**
 * Bundles the dashboard (preact + our code, nothing fetched at run time) into `outDir`. Files are
 * built beside it and renamed into place, so a server or a parallel build never serves half a file.
 */
export async function buildDashboard(outDir: string): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const temp = mkdtempSync(join(outDir, '.build-'));
  try {
    await build({
      entryPoints: [join(here, 'app.tsx')],
      outfile: join(temp, 'dashboard.js'),
      bundle: true,
      format: 'esm',
      minify: true,
      target: 'es2022',
      jsx: 'automatic',
      jsxImportSource: 'preact',
      logLevel: 'warning',
      plugins: [panelsPlugin],
    });
    copyFileSync(join(here, 'index.html'), join(temp, 'index.html'));
    copyFileSync(join(here, 'dashboard.css'), join(temp, 'dashboard.css'));
    for (const file of ['dashboard.js', 'dashboard.css', 'index.html'])
      renameSync(join(temp, file), join(outDir, file));
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildDashboard(process.argv[2] ?? fileURLToPath(new URL('../../dist/dashboard', import.meta.url)));
}
