import type { Request, Response, Router } from 'express';
import type { z } from 'zod';
import { DataSyncError } from '../../oclc/error-catalogue.ts';
import type { RouteBody, RouteContract, RouteParams, RouteQuery, RouteResponse } from './route-contract.ts';

export interface RouteInput<R extends RouteContract> {
  params: RouteParams<R>;
  query: RouteQuery<R>;
  body: RouteBody<R>;
  req: Request;
  res: Response;
}

/** Answers with the route's 200 body; a handler that wrote the answer itself returns `undefined`. */
export type RouteHandler<R extends RouteContract> = (
  input: RouteInput<R>,
) => RouteResponse<R> | undefined | Promise<RouteResponse<R> | undefined>;

/**
 * Mounts one contract route: path, query and body are validated by its schemas before the
 * handler runs, so a bad request gets a catalogued 400 naming every problem.
 */
export function mountRoute<R extends RouteContract>(
  router: Router,
  route: R,
  handler: RouteHandler<R>,
): void {
  const expressPath = route.path.replace(/\{(\w+)\}/g, ':$1');
  router[route.method](expressPath, async (req, res) => {
    const problems: string[] = [];
    const params = validate(route.params, req.params, 'path', problems) as RouteParams<R>;
    const query = validate(route.query, req.query, 'query', problems) as RouteQuery<R>;
    const rawBody: unknown = route.rawBody ? undefined : req.body;
    const body = validate(route.body, rawBody, 'body', problems) as RouteBody<R>;
    if (problems.length > 0) {
      const request = `${route.method.toUpperCase()} ${route.path}`;
      throw new DataSyncError('REQUEST_INVALID', { request, problems: problems.join('; ') });
    }
    const answer = await handler({ params, query, body, req, res });
    if (answer !== undefined && !res.headersSent) res.status(route.successStatus ?? 200).json(answer);
  });
}

function validate(schema: z.ZodType | undefined, value: unknown, where: string, problems: string[]): unknown {
  if (!schema) return where === 'body' ? undefined : {};
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    problems.push(`${[where, ...issue.path.map(String)].join('.')}: ${issue.message}`);
  }
  return undefined;
}
