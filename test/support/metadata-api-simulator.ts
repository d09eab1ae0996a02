import type { ConfigInput } from '../../simulator/config/config-schema.ts';
import { ManualClock } from '../../simulator/clock/clock.ts';
import { iso2709 } from '../../oclc/marc/write-marc.ts';
import { startTestSimulator, type TestSimulator } from './test-simulator.ts';

/** 2026-01-15 15:00 UTC. */
export const API_START = Date.UTC(2026, 0, 15, 15);

/** PUL with a full WSKey and a holdings-only one; AB@ with its own key. */
export const API_INSTITUTIONS: ConfigInput['institutions'] = [
  {
    symbol: 'PUL',
    password: 'pul-secret',
    collections: [
      { id: '1012676', type: 'bib', default: true },
      { id: '1012677', type: 'lhr' },
    ],
    wskeys: [
      { key: 'pul-key', secret: 'pul-secret-1' },
      {
        key: 'pul-holdings',
        secret: 'pul-secret-2',
        scopes: 'WorldCatMetadataAPI:manage_institution_holdings',
      },
    ],
  },
  {
    symbol: 'AB@',
    password: 'ab-secret',
    collections: [{ id: '1234567', type: 'bib', default: true }],
    wskeys: [{ key: 'ab-key', secret: 'ab-secret-1' }],
  },
];

export type ApiSimulator = TestSimulator & { manual: ManualClock };

/** A simulator with WSKeys, a manual clock and immediate processing, served on free ports. */
export async function startApiSimulator(overrides: Partial<ConfigInput> = {}): Promise<ApiSimulator> {
  const manual = new ManualClock(API_START);
  const sim = await startTestSimulator(
    { institutions: API_INSTITUTIONS, processing: 'immediate', clock: 'manual', ...overrides },
    { clock: manual },
  );
  return Object.assign(sim, { manual });
}

/** A token as a client gets one: HTTP Basic with the WSKey, a form body. */
export async function fetchToken(
  sim: { adminUrl: string },
  key = 'pul-key',
  secret = 'pul-secret-1',
  scope = 'WorldCatMetadataAPI',
): Promise<Response> {
  return fetch(`${sim.adminUrl}/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope }).toString(),
  });
}

export async function accessToken(sim: { adminUrl: string }, key?: string, secret?: string): Promise<string> {
  const res = await fetchToken(sim, key, secret);
  if (res.status !== 200) throw new Error(`token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** One Metadata API call with a bearer token. */
export function api(
  sim: { adminUrl: string },
  token: string,
  method: string,
  path: string,
  init: { body?: string | Buffer; contentType?: string; accept?: string } = {},
): Promise<Response> {
  return fetch(`${sim.adminUrl}/worldcat${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      accept: init.accept ?? 'application/json',
      ...(init.contentType ? { 'content-type': init.contentType } : {}),
    },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
}

/** A bib record with an OCN in 035, as Data Sync takes it. */
export function bibWithOcn(lsn: string, ocn: string | undefined, title = 'A title'): Buffer {
  return iso2709({
    leader: '00000nam a2200000 i 4500',
    fields: [
      ['001', lsn],
      ['008', '260115s2020    nyu           000 0 eng d'],
      ...(ocn ? [['035', '  ', 'a', `(OCoLC)${ocn}`]] : []),
      ['040', '  ', 'a', 'PUL', 'b', 'eng', 'c', 'PUL'],
      ['100', '1 ', 'a', 'Author, Ann'],
      ['245', '10', 'a', title],
      ['260', '  ', 'a', 'New York :', 'b', 'Pub,', 'c', '2020.'],
      ['300', '  ', 'a', '100 p.'],
    ],
  });
}
