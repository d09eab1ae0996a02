import { basename } from 'node:path';
import type { Router } from 'express';
import { DataSyncError } from '../../oclc/error-catalogue.ts';
import { AccountTree } from '../storage/account-tree.ts';
import type { AdminDeps } from './admin-deps.ts';
import { adminRoutes } from './admin-contract.ts';
import { mountRoute } from './mount-route.ts';

/** What the dashboard shows beyond the core API: the institutions' setup and report downloads. */
export function mountDashboardRoutes(router: Router, sim: Pick<AdminDeps, 'config' | 'files'>): void {
  mountRoute(router, adminRoutes.institutions, () => ({
    institutions: sim.config.institutions.map((i) => ({
      symbol: i.symbol,
      encodedSymbol: i.encodedSymbol,
      accounts: { ...i.accounts },
      uploadsFor: [...i.uploadsFor],
      collections: i.collections.map((c) => ({ id: c.id, type: c.type, default: c.default })),
      folders: new AccountTree(i, sim.config.institutions, sim.config.dataDir).leafFolders(),
    })),
  }));
  mountRoute(router, adminRoutes.report, ({ params, res }) => {
    const path = sim.files.reportPath(params.id, params.report);
    if (!path) {
      throw new DataSyncError('NOT_FOUND', {
        subject: `report ${params.report} of file ${params.id}`,
        reason: "GET /api/files/{id} lists a processed file's reports in summary.reports",
      });
    }
    res.type('text/plain; charset=utf-8').attachment(basename(path)).sendFile(path);
    return undefined;
  });
}
