import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Request, type Response, type Router } from 'express';

/** The package root: the nearest folder above this file with our package.json (source or dist). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && readFileSync(manifest, 'utf8').includes('"name": "datasync-sim"')) return dir;
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

/** Where `npm run build` writes the dashboard. */
export const DASHBOARD_DIR = join(packageRoot(), 'dist', 'dashboard');

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>datasync-sim</title></head>
<body><main><h1>datasync-sim</h1><p>The dashboard is not built. Run <code>npm run build</code> in the
datasync-sim folder and reload; the admin API at <a href="/api/docs">/api/docs</a> works without it.</p></main></body></html>`;

/**
 * The dashboard at `/` and its page per file at `/files/{id}` (the same page: the script reads the
 * address): built files served from the package, nothing fetched from elsewhere.
 */
export function mountDashboard(router: Router): void {
  const page = (_req: Request, res: Response): void => {
    const index = join(DASHBOARD_DIR, 'index.html');
    if (existsSync(index)) res.sendFile(index);
    else res.status(503).type('html').send(NOT_BUILT);
  };
  router.get('/', page);
  router.get('/files/:id', (req, res, next) => (/^\d+$/.test(req.params.id) ? page(req, res) : next()));
  router.use(express.static(DASHBOARD_DIR, { index: false, maxAge: 0 }));
}
