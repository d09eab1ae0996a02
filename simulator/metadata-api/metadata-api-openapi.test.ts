import type { Express } from 'express';
import { describe, expect, it } from 'vitest';
import { startApiSimulator } from '../../test/support/metadata-api-simulator.ts';
import { buildOpenApiDocument } from '../admin/openapi-document.ts';
import { ApiTokens } from './api-tokens.ts';
import { createMetadataApiApp } from './metadata-api-app.ts';
import { METADATA_API_TAG } from './metadata-api-openapi.ts';

function registeredRoutes(app: Express): string[] {
  const stack = (app as unknown as { router: { stack: { route?: { path: string; methods: object } }[] } })
    .router.stack;
  return stack.flatMap(({ route }) =>
    route
      ? Object.keys(route.methods).map((method) => `${method} ${route.path.replace(/:(\w+)/g, '{$1}')}`)
      : [],
  );
}

describe('the Metadata API in the OpenAPI document', () => {
  it('documents every route the mock serves, and only those, under its own tag', async () => {
    await using sim = await startApiSimulator();
    const app = createMetadataApiApp({
      ...sim,
      tokens: new ApiTokens(sim.clock),
      worldcatWrite: (w) => Promise.resolve(w()),
    });
    const document = buildOpenApiDocument() as unknown as {
      paths: Record<string, Record<string, { tags: string[] }>>;
    };
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([, op]) => op.tags.includes(METADATA_API_TAG))
        .map(([method]) => `${method} ${path}`),
    );
    expect(documented.sort()).toEqual(registeredRoutes(app).sort());
  });
});
