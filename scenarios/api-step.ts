import { MetadataApiClient, type MetadataApiAnswer } from '../client/index.ts';
import { ExpectationError, type ScenarioContext } from './scenario-context.ts';
import type { Scenario } from './scenario-schema.ts';

/** One Metadata API call of a scenario (`- api:` step or `expect: api:` entry). */
export interface ApiCallSpec {
  key?: string | undefined;
  method: string;
  path: string;
  body?: unknown;
  contentType?: string | undefined;
  expect?: { status?: number | undefined; body?: unknown } | undefined;
}

/**
 * Makes the call with a client of the key (the first WSKey `given` configures when none is named),
 * as any client would: a token from /oauth/token, then the call under /worldcat.
 */
export async function apiCall(ctx: ScenarioContext, call: ApiCallSpec): Promise<void> {
  const client = clientFor(ctx, ctx.given, call.key);
  const path = call.path.replace(/^\/worldcat/, '');
  const content =
    call.body === undefined
      ? undefined
      : typeof call.body === 'string'
        ? {
            body: call.body,
            mediaType:
              call.contentType ??
              (call.body.trimStart().startsWith('<') ? 'application/marcxml+xml' : 'application/marc'),
          }
        : { body: JSON.stringify(call.body), mediaType: call.contentType ?? 'application/json' };
  const answer: MetadataApiAnswer = await client.call(call.method.toUpperCase(), path, content);
  ctx.log.push(`api ${call.method.toUpperCase()} ${call.path} → ${answer.status} ${brief(answer.body)}`);
  const wanted = call.expect;
  if (wanted?.status !== undefined && answer.status !== wanted.status)
    throw new ExpectationError(`status of api ${call.method} ${call.path}`, wanted.status, answer.status);
  if (wanted?.body !== undefined && !contains(answer.body, wanted.body))
    throw new ExpectationError(`answer of api ${call.method} ${call.path}`, wanted.body, answer.body);
}

const clients = new WeakMap<ScenarioContext, Map<string, MetadataApiClient>>();

function clientFor(
  ctx: ScenarioContext,
  given: Scenario['given'],
  key: string | undefined,
): MetadataApiClient {
  const keys = (given.institutions as { wskeys?: { key?: string; secret?: string }[] }[]).flatMap(
    (i) => i.wskeys ?? [],
  );
  const wskey = key === undefined ? keys[0] : keys.find((k) => k.key === key);
  if (!wskey?.key || !wskey.secret)
    throw new Error(
      key === undefined
        ? 'an api step needs a WSKey: give an institution wskeys: [{ key, secret }] in given'
        : `api key "${key}" is not among the WSKeys given (${keys.map((k) => k.key).join(', ') || 'none'})`,
    );
  const cache = clients.get(ctx) ?? new Map<string, MetadataApiClient>();
  clients.set(ctx, cache);
  let client = cache.get(wskey.key);
  if (!client) {
    const base = ctx.target.admin.baseUrl;
    client = new MetadataApiClient({
      baseUrl: `${base}/worldcat`,
      tokenUrl: `${base}/oauth/token`,
      key: wskey.key,
      secret: wskey.secret,
    });
    cache.set(wskey.key, client);
  }
  return client;
}

/** Whether `actual` holds everything `expected` names: objects by their keys, arrays element by element. */
export function contains(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(expected))
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((item, i) => contains(actual[i], item))
    );
  if (typeof expected === 'object' && expected !== null)
    return (
      typeof actual === 'object' &&
      actual !== null &&
      Object.entries(expected).every(([k, v]) => contains((actual as Record<string, unknown>)[k], v))
    );
  return actual === expected;
}

function brief(body: unknown): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
