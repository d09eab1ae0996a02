import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Express } from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { generateBibRecords } from '../../oclc/marc/generate-bib-records.ts';
import { iso2709 } from '../../oclc/marc/write-marc.ts';
import { mfhd } from '../../test/fixtures/mfhd-fixtures.ts';
import { connectAs } from '../../test/support/sftp-test-client.ts';
import { startTestSimulator } from '../../test/support/test-simulator.ts';
import { createAdminApp } from './admin-app.ts';

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
}

/** Method and OpenAPI path of every route express has registered on the app. */
function registeredRoutes(app: Express): string[] {
  const stack = (app as unknown as { router: { stack: { route?: { path: string; methods: object } }[] } })
    .router.stack;
  return stack.flatMap(({ route }) =>
    route
      ? Object.keys(route.methods).map((method) => `${method} ${route.path.replace(/:(\w+)/g, '{$1}')}`)
      : [],
  );
}

function validatorFor(document: OpenApiDocument) {
  const ajv = new Ajv2020({ strict: false, validateFormats: false });
  ajv.addSchema(document, 'openapi');
  return (method: string, path: string, status: number, body: unknown): string[] => {
    const escaped = path.replaceAll('~', '~0').replaceAll('/', '~1');
    const ref = `openapi#/paths/${escaped}/${method}/responses/${status}/content/application~1json/schema`;
    const validate = ajv.compile({ $ref: ref });
    return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  };
}

describe('the OpenAPI document', () => {
  it('describes every route the admin app registers, as OpenAPI 3.1', async () => {
    await using sim = await startTestSimulator();
    const app = createAdminApp(sim);
    const document = (await request(app).get('/api/openapi.json').expect(200)).body as OpenApiDocument;
    expect(document.openapi).toBe('3.1.0');
    // The Metadata API mock's paths are documented here too, and checked against its own app.
    const documented = Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/api/') || path === '/metrics')
      .flatMap(([path, item]) => Object.keys(item).map((method) => `${method} ${path}`));
    // The dashboard's page (/) and Swagger UI's initializer are assets, not API operations.
    const registered = registeredRoutes(app).filter(
      (route) => route !== 'get /api/docs/init.js' && (route.includes(' /api/') || route === 'get /metrics'),
    );
    expect(registered.length).toBeGreaterThanOrEqual(11);
    expect(documented.sort()).toEqual(expect.arrayContaining(registered.sort()));
    expect(registered.sort()).toEqual(expect.arrayContaining(documented.sort()));
  });

  it('every answer of a simulator with processed bib and LHR files validates against it', async () => {
    await using sim = await startTestSimulator({ clock: 'manual' });
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    const bibs = [...generateBibRecords({ count: 5, seed: 3, defects: { truncated: 1 } })];
    await client.put('metacoll/in/bib/1012676.pul.full.mrc', Buffer.concat(bibs.map((r) => r.bytes)));
    await client.put(
      'metacoll/in/lhr/1012677.pul.lhr.mrc',
      iso2709(mfhd({ lsn: '1', ocn: '12345', library: 'MAIN', barcodes: ['B1'] })),
    );
    await client.put('metacoll/in/bib/1012676.pul.bad name.mrc', 'x').catch(() => undefined);
    await connectAs(sim, 'fx_pul', 'wrong').catch(() => undefined);
    const app = createAdminApp(sim);
    const document = (await request(app).get('/api/openapi.json')).body as OpenApiDocument;
    const check = validatorFor(document);
    const calls: [method: 'get' | 'post', url: string, path: string, status: number, body?: object][] = [
      ['post', '/api/processing/run', '/api/processing/run', 200],
      ['get', '/api/health', '/api/health', 200],
      ['get', '/api/files', '/api/files', 200],
      ['get', '/api/files?state=refused', '/api/files', 200],
      ['get', '/api/files/1', '/api/files/{id}', 200],
      ['get', '/api/files/2', '/api/files/{id}', 200],
      ['get', '/api/files/3', '/api/files/{id}', 200],
      ['get', '/api/files/99', '/api/files/{id}', 404],
      ['get', '/api/files/x', '/api/files/{id}', 400],
      ['get', '/api/files?state=lost', '/api/files', 400],
      ['get', '/api/institutions/PUL/holdings', '/api/institutions/{symbol}/holdings', 200],
      ['get', '/api/institutions/NOPE/holdings', '/api/institutions/{symbol}/holdings', 404],
      ['get', '/api/institutions/pul/lhrs?ocn=12345', '/api/institutions/{symbol}/lhrs', 200],
      ['get', '/api/journal?limit=50', '/api/journal', 200],
      ['post', '/api/clock/advance', '/api/clock/advance', 200, { by: '1h' }],
      ['post', '/api/clock/advance', '/api/clock/advance', 400, { by: 'soon' }],
      ['post', '/api/clock/advance', '/api/clock/advance', 400, {}],
      ['get', '/api/openapi.json', '/api/openapi.json', 200],
      ['get', '/api/files/1/timeline', '/api/files/{id}/timeline', 200],
      ['get', '/api/files/99/timeline', '/api/files/{id}/timeline', 404],
      ['get', '/api/worldcat/history', '/api/worldcat/history', 200],
      ['get', '/api/worldcat/history?symbol=pul&limit=5', '/api/worldcat/history', 200],
      ['get', '/api/worldcat/history?symbol=NOPE', '/api/worldcat/history', 404],
      ['get', '/api/worldcat/ocns/(OCoLC)12345', '/api/worldcat/ocns/{ocn}', 200],
      ['get', '/api/worldcat/ocns/abc', '/api/worldcat/ocns/{ocn}', 400],
      ['get', '/api/journal?type=upload:*,file:*&exclude=sftp:*&file=1', '/api/journal', 200],
    ];
    for (const [method, url, path, status, body] of calls) {
      const res = await request(app)[method](url).type('json').send(body).expect(status);
      expect({ url, status, errors: check(method, path, status, res.body) }).toEqual({
        url,
        status,
        errors: [],
      });
    }
    const file = (await request(app).get('/api/files/1')).body as { outcomes: unknown[] };
    expect(file.outcomes.length).toBeGreaterThan(0);
    const reset = await request(app).post('/api/reset').type('json').send({}).expect(200);
    expect(check('post', '/api/reset', 200, reset.body)).toEqual([]);
  });

  it('names every problem of a bad request in one catalogued 400', async () => {
    await using sim = await startTestSimulator();
    const res = await request(createAdminApp(sim)).get('/api/files/abc?limit=-1').expect(400);
    expect(res.body.error.code).toBe('REQUEST_INVALID');
    expect(res.body.error.message).toMatch(/GET \/api\/files\/\{id\}: path\.id: .*; query\.limit: /);
  });

  it('serves a rendered reference at /api/docs from the package, with no network', async () => {
    await using sim = await startTestSimulator();
    const app = createAdminApp(sim);
    const page = await request(app).get('/api/docs').expect(200).expect('content-type', /html/);
    const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(assets.every((url) => url.startsWith('/api/docs/'))).toBe(true);
    for (const url of assets) await request(app).get(url).expect(200);
    expect((await request(app).get('/api/docs/init.js')).text).toContain("'/api/openapi.json'");
  });
});
