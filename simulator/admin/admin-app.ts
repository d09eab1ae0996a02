import express, { type NextFunction, type Request, type Response } from 'express';
import { parseDuration } from '../../oclc/duration.ts';
import { DataSyncError, toDataSyncError } from '../../oclc/error-catalogue.ts';
import { ManualClock } from '../clock/clock.ts';
import { findInstitution } from '../config/find-institution.ts';
import { adminRoutes } from './admin-contract.ts';
import type { AdminDeps, AdminScope } from './admin-deps.ts';
import { mountNamespaceRoutes } from './namespace-routes.ts';
import { adminGuard, isAuthenticated, requestErrors } from './admin-guard.ts';
import { mountApiDocs } from './api-docs.ts';
import { mountEventStream } from './event-stream-route.ts';
import { mountUploadRoute } from './upload-route.ts';
import { mountDashboardRoutes } from './dashboard-routes.ts';
import { mountDashboard } from './dashboard-assets.ts';
import { mountFaultRoutes } from './fault-routes.ts';
import { mountInstitutionRoutes } from './institution-routes.ts';
import { mountOutboxRoutes } from './outbox-routes.ts';
import { mountOutputRoutes } from './output-routes.ts';
import { mountRoute } from './mount-route.ts';
import { countApiCalls, mountMetricsRoutes } from './metrics-routes.ts';
import { DEFAULT_NAMESPACE } from '../metrics/instance-metrics.ts';
import { hideServerPaths } from '../storage/hide-server-paths.ts';
import type { RouteContract } from './route-contract.ts';

/** The admin API, built without listening so tests drive it with supertest. Each route calls one method. */
export function createAdminApp(
  sim: AdminDeps,
  scope: AdminScope = { namespace: DEFAULT_NAMESPACE },
): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // Every JSON answer: no server path reaches a client (storedPath, reasons quoting a file).
  app.set('json replacer', hideServerPaths(sim.config.dataDir));
  app.use(countApiCalls(sim, scope.namespace));
  app.use(
    adminGuard({
      token: sim.config.admin.token,
      namespaceToken: scope.token,
      host: sim.config.admin.host,
      hostNames: sim.config.admin.hostNames,
      rawBodies: rawBodyRoutes(),
    }),
  );
  app.use(express.json({ limit: BODY_LIMIT }));

  const r = adminRoutes;
  mountRoute(app, r.health, ({ res }) => (isAuthenticated(res) ? sim.status() : { status: 'ok' as const }));
  mountRoute(app, r.listFiles, async ({ query }) => ({ files: await sim.files.listAll(query) }));
  mountRoute(app, r.getFile, async ({ params, query }) => {
    const file = await sim.files.findAny(params.id);
    if (!file) {
      throw new DataSyncError('NOT_FOUND', {
        subject: `file ${params.id}`,
        reason: 'no upload has that id; GET /api/files lists them',
      });
    }
    const page = { offset: query.offset ?? 0, limit: Math.min(query.limit ?? 1000, 100_000) };
    const { total, outcomes } = await sim.files.outcomes(params.id, page);
    return { ...file, outcomeCount: total, outcomes };
  });
  mountRoute(app, r.holdings, async ({ params }) => {
    const institution = findInstitution(sim.config.institutions, params.symbol);
    await sim.store.refresh();
    return { symbol: institution.symbol, ocns: sim.worldcat.holdings(institution.symbol) };
  });
  mountRoute(app, r.lhrs, async ({ params, query }) => {
    const institution = findInstitution(sim.config.institutions, params.symbol);
    await sim.store.refresh();
    return { symbol: institution.symbol, lhrs: sim.worldcat.lhrs(institution.symbol, query.ocn) };
  });
  mountRoute(app, r.reset, async () => {
    await sim.reset();
    return { status: 'reset' as const };
  });
  mountRoute(app, r.processNow, async () => ({ processed: await sim.processing.run() }));
  mountRoute(app, r.advanceClock, ({ body }) => {
    // The contract has checked that a string is a duration.
    const ms = typeof body.by === 'number' ? body.by : (parseDuration(body.by) ?? 0);
    if (!(sim.clock instanceof ManualClock)) throw new DataSyncError('CLOCK_NOT_MANUAL', {});
    sim.clock.advance(ms);
    return { now: new Date(sim.clock.now()).toISOString() };
  });
  mountRoute(app, r.journal, ({ query }) => ({
    entries: sim.journal.query({ ...query, since: sinceMs(query.since), limit: query.limit ?? 500 }),
  }));
  mountRoute(app, r.defender, () => ({ bans: sim.defender.list() }));
  mountRoute(app, r.unban, ({ params }) => {
    if (!sim.defender.unban(params.address)) {
      throw new DataSyncError('NOT_FOUND', {
        subject: `a ban on ${params.address}`,
        reason: 'that address is not banned; GET /api/defender lists the bans',
      });
    }
    return { address: params.address, unbanned: true as const };
  });
  mountRoute(app, r.expireTokens, ({ body }) => ({ expired: sim.metadataApi.expireTokens(body) }));
  mountEventStream(app, sim);
  mountUploadRoute(app, sim);
  mountFaultRoutes(app, sim);
  mountOutputRoutes(app, sim);
  mountInstitutionRoutes(app, sim);
  // The scrape holds every namespace's series: the instance's, never a namespace's.
  if (scope.token === undefined) mountMetricsRoutes(app, sim);
  if (sim.namespaces) mountNamespaceRoutes(app, sim.namespaces);
  mountOutboxRoutes(app, sim);
  mountDashboardRoutes(app, sim);
  mountDashboard(app);
  mountApiDocs(app);

  app.use('/api', (req, _res, next) => {
    next(
      new DataSyncError('NOT_FOUND', {
        subject: `${req.method} ${req.originalUrl}`,
        reason: 'no such admin API path',
      }),
    );
  });

  app.use(requestErrors(BODY_LIMIT));
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const err = toDataSyncError(error, 'answer the admin request');
    res.status(err.definition.http).json({ error: { code: err.code, message: err.message } });
  });
  return app;
}

/** `since` as ISO 8601 or milliseconds since the epoch. */
function sinceMs(since: string | undefined): number | undefined {
  if (since === undefined) return undefined;
  const ms = /^\d+$/.test(since) ? Number(since) : Date.parse(since);
  if (Number.isNaN(ms)) {
    throw new DataSyncError('PATH_INVALID', {
      action: 'filter the journal',
      path: `since=${since}`,
      reason: 'since is an ISO 8601 time (2026-01-15T10:00:00Z) or milliseconds since 1970',
    });
  }
  return ms;
}

/** JSON bodies above this are refused with 413: no admin request needs more. */
const BODY_LIMIT = '100kb';

/** State-changing routes that take raw bytes instead of JSON, as path patterns. */
function rawBodyRoutes(): { pattern: RegExp; mediaType: string }[] {
  return Object.values(adminRoutes as Record<string, RouteContract>)
    .filter((route) => route.rawBody && route.method !== 'get')
    .map((route) => ({
      pattern: new RegExp(`^${route.path.replace(/\{\w+\}/g, '[^/]+')}$`),
      mediaType: route.rawBody?.mediaType ?? 'application/octet-stream',
    }));
}
