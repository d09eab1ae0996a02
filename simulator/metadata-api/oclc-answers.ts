import type { Response } from 'express';

/**
 * The error bodies OCLC's gateway and services answer with. They differ between endpoints (the
 * gateway's `{message}`, the services' `{type, title, detail}`, the token server's `{code,
 * message}`); clients must survive all three, so the mock keeps each where OCLC uses it.
 */
export const oclcAnswers = {
  unauthorized(res: Response): void {
    res.status(401).set('WWW-Authenticate', 'Bearer').json({ message: 'Unauthorized' });
  },
  forbidden(res: Response): void {
    res.status(403).json({ message: 'Forbidden' });
  },
  badRequest(res: Response, title: string, detail: unknown): void {
    res.status(400).json({ type: 'BAD_REQUEST', title, detail });
  },
  notFound(res: Response): void {
    res.status(404).json({
      type: 'NOT_FOUND',
      title: 'Resource Not Found',
      detail: 'The specified resource was not found at this address.',
    });
  },
  /** The gateway's answer when a WSKey is over its rate; Retry-After in seconds. */
  tooManyRequests(res: Response, retryAfterS: number): void {
    res.status(429).set('Retry-After', String(retryAfterS)).json({ message: 'Too Many Requests' });
  },
  tokenError(res: Response, code: 400 | 401, message: string): void {
    res.status(code).json({ code, message });
  },
};

/** `oclcNumbers=1,2&oclcNumbers=3` as a list, or the reason it cannot be one (OCLC's 400 bodies). */
export function oclcNumberList(
  value: unknown,
): { ok: true; numbers: string[] } | { ok: false; title: string; detail: string } {
  const raw = (Array.isArray(value) ? value : [value])
    .filter((v): v is string => typeof v === 'string')
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  if (raw.length === 0)
    return {
      ok: false,
      title: 'Missing query parameter: oclcNumbers.',
      detail: 'Give one to ten OCLC numbers: ?oclcNumbers=123,456',
    };
  const bad = raw.filter((v) => !/^\d{1,15}$/.test(v));
  if (bad.length > 0)
    return {
      ok: false,
      title: 'Invalid value provided for query param: oclcNumbers.',
      detail: `A request with an invalid query param value was attempted: oclcNumbers=[${bad.join(', ')}]`,
    };
  if (raw.length > 10)
    return {
      ok: false,
      title: 'Too many values provided for query parameter: oclcNumbers',
      detail: 'A maximum of 10 values can be provided for a given request',
    };
  return { ok: true, numbers: raw.map((v) => v.replace(/^0+(?=\d)/, '')) };
}

/** An OCN in a path: digits only (OCLC answers a prefixed or other value 400). */
export function pathOcn(res: Response, value: string | undefined): string | undefined {
  if (value !== undefined && /^\d{1,15}$/.test(value)) return value.replace(/^0+(?=\d)/, '');
  oclcAnswers.badRequest(
    res,
    'Invalid identifier.',
    `A request with a non-numeric identifier was attempted: ${value ?? ''}`,
  );
  return undefined;
}
