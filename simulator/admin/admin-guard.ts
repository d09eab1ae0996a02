import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { DataSyncError } from '../../oclc/error-catalogue.ts';

export interface AdminGuardOptions {
  /** When set, every route but GET /api/health (and the dashboard's page) needs `Authorization: Bearer <token>`. */
  token: string | undefined;
  /**
   * A namespace's own token (issue 26): its routes take it or the instance token, and every
   * route with data needs one of them, GET /api/health included, even without an instance token.
   */
  namespaceToken?: string | undefined;
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

/** Paths outside /api/ that still hold data, so need the token. */
const TOKEN_PATHS = new Set(['/metrics']);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1']);

/**
 * Checks every admin request before anything else runs, so a web page cannot drive the API:
 * the Host header must name this simulator (DNS rebinding gives a foreign name), a configured
 * token must be presented, and a state-changing request must be JSON, which browsers cannot send
 * cross-origin without a preflight the API never grants.
 */
export function adminGuard(options: AdminGuardOptions): RequestHandler {
  const accepted = [options.token, options.namespaceToken].flatMap((t) =>
    t === undefined ? [] : [digest(t)],
  );
  const guarded = accepted.length > 0;
  const inNamespace = options.namespaceToken !== undefined;
  const names = new Set([...LOOPBACK_NAMES, options.host, ...options.hostNames].map((n) => n.toLowerCase()));
  return (req: Request, res: Response, next: NextFunction): void => {
    const request = `${req.method} ${req.path}`;
    const host = hostName(req.headers.host ?? '');
    if (!names.has(host) && isIP(host) === 0) {
      next(new DataSyncError('ADMIN_HOST_REFUSED', { request, host: req.headers.host ?? '' }));
      return;
    }
    const given = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    const givenDigest = given === undefined ? undefined : digest(given);
    const authenticated = givenDigest !== undefined && accepted.some((d) => sameDigest(givenDigest, d));
    res.locals['authenticated'] = authenticated || !guarded;
    // The dashboard's page and scripts hold no data (they ask for the token themselves), so a
    // browser can load them by navigation, which cannot carry the header.
    const open =
      req.method === 'GET' &&
      ((req.path === '/api/health' && !inNamespace) ||
        (!req.path.startsWith('/api/') && !TOKEN_PATHS.has(req.path)));
    if (guarded && !authenticated && !open) {
      const which = inNamespace ? "the namespace's token (or the instance's admin token)" : 'the admin token';
      const reason = given === undefined ? `it needs ${which}` : `${which} is wrong`;
      next(new DataSyncError('ADMIN_UNAUTHORIZED', { request, reason }));
      return;
    }
    if (!SAFE_METHODS.has(req.method) && !(req.method === 'DELETE' && !hasBody(req))) {
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

/**
 * Turns what express and body-parser refuse (bad JSON, a body over the limit, an unknown charset
 * or encoding, a path that is not valid percent-encoding) into the API's error shape, so a
 * client's mistake is never answered as an internal error.
 */
export function requestErrors(limit: string) {
  return (error: unknown, req: Request, _res: Response, next: NextFunction): void => {
    next(clientMistake(error, `${req.method} ${req.path}`, limit) ?? error);
  };
}

function clientMistake(error: unknown, request: string, limit: string): DataSyncError | undefined {
  // express decodes path parameters with decodeURIComponent, which throws URIError.
  if (error instanceof URIError)
    return new DataSyncError('REQUEST_INVALID', { request, problems: BAD_ENCODING });
  const { type, status, expose } = (error ?? {}) as { type?: unknown; status?: unknown; expose?: unknown };
  const reason = error instanceof Error ? error.message : String(error);
  if (type === 'entity.too.large') return new DataSyncError('ADMIN_BODY_TOO_LARGE', { request, limit });
  if (type === 'entity.parse.failed') return new DataSyncError('ADMIN_BODY_MALFORMED', { request, reason });
  if (type === 'charset.unsupported' || type === 'encoding.unsupported' || status === 415)
    return new DataSyncError('ADMIN_BODY_ENCODING', { request, reason });
  // Any other refusal http-errors marks as the client's (a truncated gzip body, an aborted upload).
  if (typeof status === 'number' && status >= 400 && status < 500 && expose === true)
    return new DataSyncError('REQUEST_INVALID', {
      request,
      problems: `the body could not be read (${reason})`,
    });
  return undefined;
}

const BAD_ENCODING =
  'the path is not valid percent-encoding (write a character outside A-Z, a-z, 0-9 and -._~ as %XX ' +
  'per UTF-8 byte, e.g. @ as %40)';

/**
 * A DELETE without a body needs no Content-Type (curl -X DELETE sends none): a page on another
 * site cannot send DELETE without a preflight, which the API never grants.
 */
function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
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
