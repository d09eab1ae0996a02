import type { NextFunction, Request, Response } from 'express';
import { parseDuration } from '../../oclc/duration.ts';
import type { FaultAction } from '../config/fault-rule-schema.ts';
import type { MetadataApiDeps } from './metadata-api-deps.ts';
import { oclcAnswers } from './oclc-answers.ts';

/**
 * Fault rules for `operation: api`: a matching rule answers with its HTTP status (in the body
 * shape OCLC uses for it) or delays the call on the wall clock (a client's timeout is). The path
 * matched is the HTTP path (/worldcat/manage/institution/holdings/123/set); the account, the WSKey.
 */
export function apiFaults(deps: Pick<MetadataApiDeps, 'faults'>) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const key = res.locals['apiKey'];
    const action = deps.faults.take(
      {
        operation: 'api',
        path: req.path,
        ...(typeof key === 'string' ? { account: key } : basicKey(req)),
      },
      (a) => ('status' in a && typeof a.status === 'number') || 'delay' in a,
    );
    if (action === undefined) {
      next();
      return;
    }
    res.locals['fault'] = describe(action);
    if ('delay' in action) {
      await new Promise((resolve) => setTimeout(resolve, parseDuration(action.delay) ?? 0));
      next();
      return;
    }
    if ('status' in action && typeof action.status === 'number') answer(res, action.status, action.message);
  };
}

function answer(res: Response, status: number, message: string | undefined): void {
  if (status === 429) {
    oclcAnswers.tooManyRequests(res, 1);
    return;
  }
  if (status === 401) {
    oclcAnswers.unauthorized(res);
    return;
  }
  if (status === 403) {
    oclcAnswers.forbidden(res);
    return;
  }
  const type = status >= 500 ? 'INTERNAL_SERVER_ERROR' : status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST';
  res.status(status).json({ type, title: message ?? 'Injected by a fault rule.', detail: message ?? '' });
}

function describe(action: FaultAction): string {
  if ('delay' in action) return `delay ${action.delay}`;
  return 'status' in action ? `status ${action.status}` : 'fault';
}

function basicKey(req: Request): { account?: string } {
  const encoded = /^Basic\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
  const key = encoded ? Buffer.from(encoded, 'base64').toString('utf8').split(':')[0] : undefined;
  return key ? { account: key } : {};
}
