import express, { type NextFunction, type Request, type Response } from 'express';
import type { MetadataApiDeps } from './metadata-api-deps.ts';
import { apiFaults } from './api-faults.ts';
import { RateLimits } from './rate-limits.ts';
import { mountTokenRoute, allows, findKey } from './token-route.ts';
import { grantOf } from './api-tokens.ts';
import { oclcAnswers } from './oclc-answers.ts';
import { mountHoldingsRoutes } from './holdings-routes.ts';
import { mountBibRoutes } from './bib-routes.ts';
import { mountLhrRoutes } from './lhr-routes.ts';

/** Paths the Metadata API mock answers on the admin port; everything else is the admin API's. */
export function isMetadataApiPath(url: string): boolean {
  return url === '/oauth/token' || url.startsWith('/oauth/token?') || url.startsWith('/worldcat/');
}

/**
 * The WorldCat Metadata API 2.0 mock (issue 25): OCLC's paths after
 * https://metadata.api.oclc.org, with its own guard (a bearer token from POST /oauth/token), not
 * the admin token or the admin API's JSON-only rule. Every call is journalled as `api:call`.
 */
export function createMetadataApiApp(deps: MetadataApiDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use(journalCalls(deps));
  app.use('/worldcat', bearerGuard(deps), rateLimit(deps));
  app.use(apiFaults(deps));
  mountTokenRoute(app, { institutions: deps.config.institutions, tokens: deps.tokens });
  mountHoldingsRoutes(app, deps);
  mountBibRoutes(app, deps);
  mountLhrRoutes(app, deps);
  app.use((_req: Request, res: Response) => oclcAnswers.notFound(res));
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = (error as { status?: unknown } | undefined)?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      oclcAnswers.badRequest(res, 'Unable to read the request.', error instanceof Error ? error.message : '');
      return;
    }
    res.status(500).json({
      type: 'INTERNAL_SERVER_ERROR',
      title: 'Internal server error',
      detail: error instanceof Error ? error.message : String(error),
    });
  });
  return app;
}

/** The scope each family of paths needs, as OCLC's WSKey portal names them. */
const SCOPES: readonly [RegExp, string[]][] = [
  [/^\/manage\/institution\/holding-codes/, ['manage_institution_holdings', 'get_holding_codes']],
  [/^\/manage\/institution\//, ['manage_institution_holdings']],
  [/^\/manage\/bibs\/match/, ['manage_bibs', 'match_bibs']],
  [/^\/manage\/bibs\/current/, ['manage_bibs', 'match_bibs']],
  [/^\/manage\/bibs\/\d+$/, ['manage_bibs', 'view_marc_bib']],
  [/^\/manage\/bibs/, ['manage_bibs']],
  [/^\/manage\/lhrs/, ['manage_institution_lhrs']],
  [/^\/manage\/lbds/, ['manage_institution_lbds']],
  [/^\/search\/my-holdings/, ['view_my_holdings']],
];

function bearerGuard(deps: MetadataApiDeps) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    const grant = token === undefined ? undefined : deps.tokens.find(token);
    if (!grant) {
      oclcAnswers.unauthorized(res);
      return;
    }
    res.locals['grant'] = grant;
    res.locals['apiKey'] = grant.key;
    res.locals['apiSymbol'] = grant.symbol;
    const needed = SCOPES.find(([pattern]) => pattern.test(req.path))?.[1];
    if (
      needed !== undefined &&
      !needed.some((scope) => allows(grant.scopes, `WorldCatMetadataAPI:${scope}`))
    ) {
      oclcAnswers.forbidden(res);
      return;
    }
    next();
  };
}

/** The key's `rateLimit`, answered as OCLC's gateway does: 429 with Retry-After. */
function rateLimit(deps: MetadataApiDeps) {
  const limits = new RateLimits(deps.clock);
  return (_req: Request, res: Response, next: NextFunction): void => {
    const grant = grantOf(res);
    const wskey = findKey(deps.config.institutions, grant.key)?.wskey;
    const verdict = wskey ? limits.take(wskey) : ({ ok: true } as const);
    if (verdict.ok) {
      next();
      return;
    }
    res.locals['limited'] = verdict.limit;
    oclcAnswers.tooManyRequests(res, verdict.retryAfterS);
  };
}

/** One `api:call` journal entry per answered request: method, path, status, key, time taken. */
function journalCalls(deps: MetadataApiDeps) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = performance.now();
    // Captured now: a mounted router rewrites req.url while it runs.
    const { method, path } = req;
    res.on('finish', () => {
      const key = res.locals['apiKey'];
      const symbol = res.locals['apiSymbol'];
      const fault = res.locals['fault'];
      const ocn = res.locals['ocn'];
      const limited = res.locals['limited'];
      deps.events.emit('api:call', {
        operation: 'api',
        method,
        path,
        status: res.statusCode,
        key: typeof key === 'string' ? key : null,
        account: typeof key === 'string' ? key : null,
        symbol: typeof symbol === 'string' ? symbol : null,
        durationMs: Math.round(performance.now() - started),
        ...(typeof fault === 'string' ? { fault } : {}),
        ...(typeof ocn === 'string' ? { ocn } : {}),
        ...(limited === 'perSecond' || limited === 'perDay' ? { limited } : {}),
      });
    });
    next();
  };
}
