import express, { type Request, type Router } from 'express';
import { METADATA_API_SCOPE } from '../config/config-schema.ts';
import type { Institution, WsKey } from '../config/simulator-config.ts';
import { TOKEN_LIFETIME_S, oclcExpiresAt, type ApiTokens } from './api-tokens.ts';
import { oclcAnswers } from './oclc-answers.ts';
import { institutionCode } from './institution-code.ts';

/**
 * `POST /oauth/token`: OCLC's client credentials grant (oauth.oclc.org/token). The WSKey and
 * secret come as HTTP Basic; grant_type and scope as a form body or in the query, as clients
 * send either.
 */
export function mountTokenRoute(
  router: Router,
  deps: { institutions: readonly Institution[]; tokens: ApiTokens },
): void {
  router.post('/oauth/token', express.urlencoded({ extended: false, limit: '10kb' }), (req, res) => {
    const field = (name: string): string | undefined => {
      const fromBody = (req.body as Record<string, unknown> | undefined)?.[name];
      const value = typeof fromBody === 'string' ? fromBody : req.query[name];
      return typeof value === 'string' ? value : undefined;
    };
    const credentials = basicCredentials(req);
    const found = credentials && findKey(deps.institutions, credentials.key);
    if (!credentials || !found || found.wskey.secret !== credentials.secret) {
      oclcAnswers.tokenError(
        res,
        401,
        credentials
          ? `WSKey '${credentials.key}' is invalid or its secret is wrong`
          : 'No valid authentication credentials found in request (send the WSKey and secret as HTTP Basic)',
      );
      return;
    }
    if (field('grant_type') !== 'client_credentials') {
      oclcAnswers.tokenError(res, 400, 'grant_type must be client_credentials');
      return;
    }
    const scopes = grantedScopes(found.wskey, field('scope') ?? '');
    if (!scopes.ok) {
      oclcAnswers.tokenError(res, 400, scopes.message);
      return;
    }
    const grant = deps.tokens.issue({
      key: found.wskey.key,
      symbol: found.institution.symbol,
      scopes: scopes.scopes,
    });
    res.locals['apiKey'] = grant.key;
    res.locals['apiSymbol'] = grant.symbol;
    res.set('Cache-Control', 'no-store').json({
      access_token: grant.token,
      token_type: 'bearer',
      expires_in: TOKEN_LIFETIME_S,
      principalID: '',
      principalIDNS: '',
      scopes: grant.scopes.join(' '),
      contextInstitutionId: institutionCode(found.institution.symbol),
      expires_at: oclcExpiresAt(grant.expiresAt),
    });
  });
}

function basicCredentials(req: Request): { key: string; secret: string } | undefined {
  const encoded = /^Basic\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
  if (!encoded) return undefined;
  const text = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 1) return undefined;
  return { key: text.slice(0, colon), secret: text.slice(colon + 1) };
}

export function findKey(
  institutions: readonly Institution[],
  key: string,
): { institution: Institution; wskey: WsKey } | undefined {
  for (const institution of institutions) {
    const wskey = institution.wskeys.find((k) => k.key === key);
    if (wskey) return { institution, wskey };
  }
  return undefined;
}

/**
 * The scopes a token gets: each requested Metadata API scope the key holds (the umbrella scope
 * stands for all of the key's). Other words in `scope` (context:…, refresh_token) are ignored.
 */
function grantedScopes(
  wskey: WsKey,
  requested: string,
): { ok: true; scopes: string[] } | { ok: false; message: string } {
  const wanted = requested.split(/\s+/).filter((s) => /^WorldCat/.test(s));
  if (wanted.length === 0) return { ok: false, message: `scope is required; ask for ${METADATA_API_SCOPE}` };
  const umbrella = wskey.scopes.includes(METADATA_API_SCOPE);
  const granted = new Set<string>();
  for (const scope of wanted) {
    if (scope === METADATA_API_SCOPE) for (const held of wskey.scopes) granted.add(held);
    else if (umbrella || wskey.scopes.includes(scope)) granted.add(scope);
    else return { ok: false, message: `WSKey '${wskey.key}' does not have the scope ${scope}` };
  }
  return { ok: true, scopes: [...granted] };
}

/** Whether a token's scopes allow a route that needs `scope`. */
export function allows(scopes: readonly string[], scope: string): boolean {
  return scopes.includes(METADATA_API_SCOPE) || scopes.includes(scope);
}
