import { basename } from 'node:path';
import type { Router } from 'express';
import { DataSyncError } from '../../oclc/error-catalogue.ts';
import { AccountTree } from '../storage/account-tree.ts';
import type { AdminDeps } from './admin-deps.ts';
import { normalizeOcn } from '../../oclc/datasync/ocn.ts';
import { findInstitution } from '../config/find-institution.ts';
import { adminRoutes } from './admin-contract.ts';
import { dashboardRoutes } from './dashboard-routes-contract.ts';
import { mountRoute } from './mount-route.ts';

/**
 * What the dashboard shows beyond the core API: the institutions' setup, report downloads, a
 * file's timeline, WorldCat's counts over time and who holds an OCN.
 */
export function mountDashboardRoutes(
  router: Router,
  sim: Pick<AdminDeps, 'config' | 'files' | 'worldcat' | 'clock'>,
): void {
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
  mountRoute(router, adminRoutes.report, async ({ params, res }) => {
    const path = await sim.files.reportPath(params.id, params.report);
    if (!path) {
      throw new DataSyncError('NOT_FOUND', {
        subject: `report ${params.report} of file ${params.id}`,
        reason: "GET /api/files/{id} lists a processed file's reports in summary.reports",
      });
    }
    res.type('text/plain; charset=utf-8').attachment(basename(path)).sendFile(path);
    return undefined;
  });
  mountRoute(router, dashboardRoutes.fileTimeline, ({ params }) => {
    if (!sim.files.find(params.id)) {
      throw new DataSyncError('NOT_FOUND', {
        subject: `file ${params.id}`,
        reason: 'no upload has that id; GET /api/files lists them',
      });
    }
    return { id: params.id, now: sim.clock.now(), stages: sim.files.stages(params.id) };
  });
  mountRoute(router, dashboardRoutes.worldcatHistory, ({ query }) => {
    const symbols = query.symbol
      ? [findInstitution(sim.config.institutions, query.symbol).symbol]
      : sim.config.institutions.map((i) => i.symbol);
    const history = sim.worldcat.history({
      symbol: query.symbol ? symbols[0] : undefined,
      limit: query.limit,
    });
    const now = sim.clock.now();
    const current = symbols.map((symbol) => ({
      at: now,
      symbol,
      ...sim.worldcat.counts(symbol),
      fileId: null,
    }));
    return { points: [...history, ...current] };
  });
  mountRoute(router, dashboardRoutes.ocnHolders, ({ params }) => {
    // The contract has checked that it is an OCN.
    const ocn = normalizeOcn(params.ocn) ?? params.ocn;
    const symbols = sim.config.institutions.map((i) => i.symbol);
    return { ocn, ...sim.worldcat.whoHolds(ocn, symbols) };
  });
}
