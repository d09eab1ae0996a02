import express, { type Router } from 'express';
import { adminRoutes } from './admin-contract.ts';
import type { AdminDeps } from './admin-deps.ts';
import { requestErrors } from './admin-guard.ts';
import { mountRoute } from './mount-route.ts';

/** Large enough for a real bib file from a browser; SFTP has no such limit. */
const UPLOAD_LIMIT = '512mb';

/**
 * PUT /api/institutions/{symbol}/files/{name}: the browser upload. Raw bytes only: like JSON,
 * application/octet-stream cannot be sent cross-origin without a preflight the API never grants.
 */
export function mountUploadRoute(router: Router, sim: Pick<AdminDeps, 'upload'>): void {
  const raw = express.raw({ type: 'application/octet-stream', limit: UPLOAD_LIMIT });
  const tooLarge = requestErrors(UPLOAD_LIMIT);
  router.put(adminRoutes.uploadFile.path.replace(/\{(\w+)\}/g, ':$1'), (req, res, next) =>
    raw(req, res, (error?: unknown) => (error ? tooLarge(error, req, res, next) : next())),
  );
  // The guard has checked the media type; an empty body is an empty file.
  mountRoute(router, adminRoutes.uploadFile, async ({ params, req }) =>
    sim.upload(params.symbol, params.name, Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)),
  );
}
