import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import express, { type Router } from 'express';
import { adminRoutes } from './admin-contract.ts';
import { mountRoute } from './mount-route.ts';
import { buildOpenApiDocument } from './openapi-document.ts';

// Swagger UI's files come from the installed swagger-ui-dist package, so /api/docs works offline.
const swaggerUiDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>datasync-sim admin API</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body>
</html>
`;

const INIT = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true });\n`;

let document: Record<string, unknown> | undefined;

/** GET /api/openapi.json and the rendered reference at GET /api/docs. */
export function mountApiDocs(router: Router): void {
  mountRoute(router, adminRoutes.openapi, () => (document ??= { ...buildOpenApiDocument() }));
  mountRoute(router, adminRoutes.docs, ({ res }) => {
    res.type('html').send(PAGE);
    return undefined;
  });
  router.get('/api/docs/init.js', (_req, res) => {
    res.type('js').send(INIT);
  });
  router.use('/api/docs', express.static(swaggerUiDir, { index: false, fallthrough: true, maxAge: '1h' }));
}
