import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { DataSyncError } from '../../oclc/error-catalogue.ts';

export interface AdminGuardOptions {
  /** When set, every route but GET /api/health needs `Authorization: Bearer <token>`. */
  token: string | undefined;
  /** The address the API listens on and any extra names it is reached by. */
  host: string;
  hostNames: readonly string[];
  /** State-changing routes that take another media type than JSON, with that type. */
  rawBodies: readonly { pattern: RegExp; mediaType: string }[];
}

/** Whether the request carried the admin token (GET /api/health answers more when it did). */
export function isAuthenticated(res: Response): boolean {
  return res.locals['authenticated'] === true;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1']);

/**
 * Checks every admin request before anything else runs, so a web page cannot drive the API:
 * the Host header must name this simulator (DNS rebinding gives a foreign name), a configured
 * token must be presented, and a state-changing request must be JSON, which browsers cannot send
 * cross-origin without a preflight the API never grants.
 */
export function adminGuard(options: AdminGuardOptions): RequestHandler {
  const expected = options.token === undefined ? undefined : digest(options.token);
  const names = new Set([...LOOPBACK_NAMES, options.host, ...options.hostNames].map((n) => n.toLowerCase()));
  return (req: Request, res: Response, next: NextFunction): void => {
    const request = `${req.method} ${req.path}`;
    const host = hostName(req.headers.host ?? '');
    if (!names.has(host) && isIP(host) === 0) {
      next(new DataSyncError('ADMIN_HOST_REFUSED', { request, host: req.headers.host ?? '' }));
      return;
    }
    const given = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    const authenticated =
      expected !== undefined && given !== undefined && sameDigest(digest(given), expected);
    res.locals['authenticated'] = authenticated || expected === undefined;
    // The dashboard's page and scripts hold no data (they ask for the token themselves), so a
    // browser can load them by navigation, which cannot carry the header.
    const open = req.method === 'GET' && (req.path === '/api/health' || !req.path.startsWith('/api/'));
    if (expected !== undefined && !authenticated && !open) {
      const reason = given === undefined ? 'it needs the admin token' : 'the admin token is wrong';
      next(new DataSyncError('ADMIN_UNAUTHORIZED', { request, reason }));
      return;
    }
    if (!SAFE_METHODS.has(req.method)) {
      const wanted = options.rawBodies.find((r) => r.pattern.test(req.path))?.mediaType ?? 'application/json';
      const mediaType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      if (mediaType !== wanted) {
        next(new DataSyncError('ADMIN_MEDIA_TYPE', { request, expected: wanted, given: mediaType }));
        return;
      }
    }
    next();
  };
}

/** Turns body-parser's failures (bad JSON, a body over the limit) into the API's error shape. */
export function bodyErrors(limit: string) {
  return (error: unknown, req: Request, _res: Response, next: NextFunction): void => {
    const type = (error as { type?: unknown } | undefined)?.type;
    const request = `${req.method} ${req.path}`;
    if (type === 'entity.too.large') next(new DataSyncError('ADMIN_BODY_TOO_LARGE', { request, limit }));
    else if (type === 'entity.parse.failed') {
      const reason = error instanceof Error ? error.message : 'unreadable';
      next(new DataSyncError('ADMIN_BODY_MALFORMED', { request, reason }));
    } else next(error);
  };
}

function hostName(header: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(header);
  if (bracketed?.[1]) return bracketed[1].toLowerCase();
  return header.replace(/:\d+$/, '').toLowerCase();
}

/** Comparing digests keeps the time independent of where a wrong token differs. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function sameDigest(a: Buffer, b: Buffer): boolean {
  return timingSafeEqual(a, b);
}
