import { describe, expect, it } from 'vitest';
import {
  accessToken,
  api,
  bibWithOcn,
  fetchToken,
  startApiSimulator,
} from '../../test/support/metadata-api-simulator.ts';

describe('WorldCat Metadata API mock: tokens', () => {
  it("gives a token for a WSKey and secret (HTTP Basic, client_credentials) in OCLC's shape", async () => {
    await using sim = await startApiSimulator();
    const res = await fetchToken(sim);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      token_type: 'bearer',
      expires_in: 1199,
      scopes: 'WorldCatMetadataAPI',
      expires_at: '2026-01-15 15:19:59Z',
    });
    expect(body['access_token']).toMatch(/^tk_[\w-]{30,}$/);
  });

  it('refuses a wrong secret or an unknown key with 401, and a scope the key lacks with 400', async () => {
    await using sim = await startApiSimulator();
    const wrong = await fetchToken(sim, 'pul-key', 'nope');
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ code: 401, message: expect.stringContaining("WSKey 'pul-key'") });
    expect((await fetchToken(sim, 'who', 'x')).status).toBe(401);
    const scope = await fetchToken(sim, 'pul-holdings', 'pul-secret-2', 'WorldCatMetadataAPI:manage_bibs');
    expect(scope.status).toBe(400);
    expect(((await scope.json()) as { message: string }).message).toContain('manage_bibs');
  });

  it('answers 401 without a token, with a wrong one and once the token expired on the clock', async () => {
    await using sim = await startApiSimulator();
    const token = await accessToken(sim);
    const path = '/manage/institution/holdings/current?oclcNumbers=1';
    expect((await api(sim, token, 'GET', path)).status).toBe(200);
    const none = await fetch(`${sim.adminUrl}/worldcat${path}`);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ message: 'Unauthorized' });
    expect((await api(sim, 'tk_wrong', 'GET', path)).status).toBe(401);
    sim.manual.advance(1199_000);
    expect((await api(sim, token, 'GET', path)).status).toBe(401);
  });

  it('answers 403 when the token lacks the scope the route needs', async () => {
    await using sim = await startApiSimulator();
    const token = await accessToken(sim, 'pul-holdings', 'pul-secret-2');
    expect((await api(sim, token, 'GET', '/manage/institution/holdings/current?oclcNumbers=1')).status).toBe(
      200,
    );
    const res = await api(sim, token, 'GET', '/manage/bibs/1', { accept: 'application/marcxml+xml' });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ message: 'Forbidden' });
  });
});

describe('WorldCat Metadata API mock: reads of the WorldCat Data Sync writes', () => {
  it("holdings/current shows holdings a Data Sync file set, for the token's institution only", async () => {
    await using sim = await startApiSimulator({ worldcat: { merged: { '555': '777' }, deleted: ['666'] } });
    await sim.upload(
      'PUL',
      '1012676.pul.bibs.mrc',
      Buffer.concat([bibWithOcn('b1', '123'), bibWithOcn('b2', '777')]),
    );
    await sim.waitFor('file:processed');
    expect(sim.worldcat.holdings('PUL')).toEqual(['123', '777']);
    const pul = await accessToken(sim);
    const res = await api(
      sim,
      pul,
      'GET',
      '/manage/institution/holdings/current?oclcNumbers=123,124&oclcNumbers=555,666',
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      holdings: [
        {
          requestedControlNumber: '123',
          currentControlNumber: '123',
          institutionSymbol: 'PUL',
          holdingSet: true,
        },
        {
          requestedControlNumber: '124',
          currentControlNumber: '124',
          institutionSymbol: 'PUL',
          holdingSet: false,
        },
        {
          requestedControlNumber: '555',
          currentControlNumber: '777',
          institutionSymbol: 'PUL',
          holdingSet: true,
        },
        {
          requestedControlNumber: '666',
          currentControlNumber: null,
          institutionSymbol: 'PUL',
          holdingSet: false,
        },
      ],
    });
    const ab = await accessToken(sim, 'ab-key', 'ab-secret-1');
    const other = (await (
      await api(sim, ab, 'GET', '/manage/institution/holdings/current?oclcNumbers=123')
    ).json()) as {
      holdings: { institutionSymbol: string; holdingSet: boolean }[];
    };
    expect(other.holdings[0]).toMatchObject({ institutionSymbol: 'AB@', holdingSet: false });
  });

  it("holdings/current refuses non-numeric and more than ten numbers with OCLC's 400 bodies", async () => {
    await using sim = await startApiSimulator();
    const token = await accessToken(sim);
    const bad = await api(sim, token, 'GET', '/manage/institution/holdings/current?oclcNumbers=abc');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      type: 'BAD_REQUEST',
      title: 'Invalid value provided for query param: oclcNumbers.',
    });
    const many = Array.from({ length: 11 }, (_, i) => i + 1).join(',');
    const tooMany = await api(sim, token, 'GET', `/manage/institution/holdings/current?oclcNumbers=${many}`);
    expect(tooMany.status).toBe(400);
    expect(await tooMany.json()).toMatchObject({
      detail: 'A maximum of 10 values can be provided for a given request',
    });
  });

  it('GET /manage/bibs/{ocn} answers the record a Data Sync file left, as MARCXML or MARC 21', async () => {
    await using sim = await startApiSimulator({
      institutions: [
        {
          symbol: 'PUL',
          password: 'pul-secret',
          // Record output keeps masters of the institution's records.
          collections: [{ id: '1012676', type: 'bib', default: true, output: { frequency: 'daily' } }],
          wskeys: [{ key: 'pul-key', secret: 'pul-secret-1' }],
        },
      ],
    });
    await sim.upload('PUL', '1012676.pul.bibs.mrc', bibWithOcn('b1', '123', 'Shared title'));
    await sim.waitFor('file:processed');
    const token = await accessToken(sim);
    const xml = await api(sim, token, 'GET', '/manage/bibs/123', { accept: 'application/marcxml+xml' });
    expect(xml.status).toBe(200);
    expect(xml.headers.get('content-type')).toContain('application/marcxml+xml');
    const text = await xml.text();
    expect(text).toContain('<marc:controlfield tag="001">ocm00000123</marc:controlfield>');
    expect(text).toContain('Shared title');
    const marc = await api(sim, token, 'GET', '/manage/bibs/123', { accept: 'application/marc' });
    expect(marc.headers.get('content-type')).toContain('application/marc');
    expect(Buffer.from(await marc.arrayBuffer()).toString('utf8')).toContain('Shared title');
    expect((await api(sim, token, 'GET', '/manage/bibs/ocm123')).status).toBe(400);
  });

  it('journals every call as api:call with method, path, status and key', async () => {
    await using sim = await startApiSimulator();
    const token = await accessToken(sim);
    await api(sim, token, 'GET', '/manage/institution/holdings/current?oclcNumbers=1');
    await api(sim, 'tk_wrong', 'GET', '/manage/institution/holdings/current?oclcNumbers=1');
    const entries = sim.journal.query({ type: 'api:call' }).map((e) => e.data);
    expect(entries).toEqual([
      expect.objectContaining({
        operation: 'api',
        method: 'POST',
        path: '/oauth/token',
        status: 200,
        key: 'pul-key',
        account: 'pul-key',
        symbol: 'PUL',
      }),
      expect.objectContaining({
        method: 'GET',
        path: '/worldcat/manage/institution/holdings/current',
        status: 200,
        key: 'pul-key',
      }),
      expect.objectContaining({ status: 401, key: null }),
    ]);
  });
});
