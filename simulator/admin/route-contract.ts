import type { z } from 'zod';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * One admin API route as data: the server validates requests with it, the admin client parses
 * answers with it, and the OpenAPI document is generated from it.
 */
export interface RouteContract {
  method: HttpMethod;
  /** OpenAPI spelling, `{name}` for path parameters. */
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** JSON body; routes that take raw bytes name their media type in `rawBody` instead. */
  body?: z.ZodType;
  rawBody?: { mediaType: string; description: string };
  /** The 200 answer; `mediaType` defaults to application/json. */
  response: z.ZodType;
  responseMediaType?: string;
  /** The success status when it is not 200 (201 for a created resource). */
  successStatus?: 201;
  /** HTTP statuses this route answers with the error body, besides 400 and 500. */
  errors?: number[];
}

export type RouteParams<R extends RouteContract> = R['params'] extends z.ZodObject
  ? z.output<R['params']>
  : Record<string, never>;
export type RouteQuery<R extends RouteContract> = R['query'] extends z.ZodObject
  ? z.output<R['query']>
  : Record<string, never>;
export type RouteBody<R extends RouteContract> = R['body'] extends z.ZodType
  ? z.output<R['body']>
  : undefined;
export type RouteResponse<R extends RouteContract> = z.input<R['response']>;
