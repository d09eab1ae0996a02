import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { adminRoutes, ErrorSchema } from './admin-contract.ts';
import type { RouteContract } from './route-contract.ts';
import { metadataApiPaths } from '../metadata-api/metadata-api-openapi.ts';

const STATUS_TEXT: Record<number, string> = {
  400: 'the request does not match this document',
  401: 'no or wrong admin token',
  403: 'refused',
  404: 'no such resource',
  409: 'conflicts with the current state',
  413: 'too large',
  415: 'wrong content type',
  422: 'refused by a rule',
  500: 'a bug in datasync-sim',
};

/** The admin API as OpenAPI 3.1, generated from the contract the server validates with. */
export function buildOpenApiDocument(
  routes: Readonly<Record<string, RouteContract>> = adminRoutes,
): ReturnType<typeof createDocument> {
  const paths: ZodOpenApiPathsObject = {};
  for (const [operationId, route] of Object.entries(routes)) {
    paths[route.path] = { ...paths[route.path], [route.method]: operation(operationId, route) };
  }
  // The WorldCat Metadata API mock shares the port; its routes are OCLC's, under their own tag.
  if (routes === adminRoutes) Object.assign(paths, metadataApiPaths());
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'datasync-sim admin API',
      version: '1',
      description:
        'Observe and drive a simulated OCLC WorldShare Data Sync file exchange: files and their stages, ' +
        'per-record outcomes, holdings and LHRs per institution, the journal, the clock and processing. ' +
        'Errors are {"error": {"code", "message"}} with the HTTP status of the error code. The same port ' +
        "serves the WorldCat Metadata API mock (tag worldcat-metadata-api): OCLC's paths under /worldcat, " +
        "tokens from /oauth/token, OCLC's bodies and errors.",
    },
    components: {
      securitySchemes: {
        oclcBearer: {
          type: 'oauth2',
          flows: {
            clientCredentials: {
              tokenUrl: '/oauth/token',
              scopes: { WorldCatMetadataAPI: 'every Metadata API route the WSKey allows' },
            },
          },
        },
      },
    },
    paths,
  });
}

function operation(operationId: string, route: RouteContract): ZodOpenApiOperationObject {
  // Every route checks the Host header (403) and, with admin.token set, the token (401; health
  // answers without it); state-changing ones take JSON only (415) of at most 100 kB (413).
  const guard = [
    403,
    ...(route.path === '/api/health' ? [] : [401]),
    ...(route.method === 'get' ? [] : [413, 415]),
  ];
  const errors = [...new Set([400, ...guard, ...(route.errors ?? []), 500])].sort((a, b) => a - b);
  const op: ZodOpenApiOperationObject = {
    operationId,
    summary: route.summary,
    tags: route.tags,
    responses: {
      [route.successStatus ?? 200]: {
        description: route.successStatus === 201 ? 'Created' : 'OK',
        content: { [route.responseMediaType ?? 'application/json']: { schema: route.response } },
      },
      ...Object.fromEntries(
        errors.map((status) => [
          status,
          {
            description: STATUS_TEXT[status] ?? 'error',
            content: { 'application/json': { schema: ErrorSchema } },
          },
        ]),
      ),
    },
  };
  if (route.description) op.description = route.description;
  if (route.params || route.query) {
    op.requestParams = {
      ...(route.params ? { path: route.params } : {}),
      ...(route.query ? { query: route.query } : {}),
    };
  }
  if (route.body) {
    op.requestBody = {
      required: !route.body.safeParse(undefined).success,
      content: { 'application/json': { schema: route.body } },
    };
  } else if (route.rawBody) {
    op.requestBody = {
      required: true,
      description: route.rawBody.description,
      content: { [route.rawBody.mediaType]: { schema: { type: 'string', format: 'binary' } } },
    };
  }
  return op;
}
