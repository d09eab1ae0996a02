import { z } from 'zod';
import type { ZodOpenApiOperationObject, ZodOpenApiPathsObject, ZodOpenApiResponseObject } from 'zod-openapi';

/**
 * The WorldCat Metadata API mock in the OpenAPI document, under its own tag: OCLC's paths and
 * field names, and the error bodies OCLC answers with (the gateway's, the services', the token
 * server's), so a reader sees what a client must survive.
 */
export const METADATA_API_TAG = 'worldcat-metadata-api';

const ocn = z.string().meta({ description: 'an OCLC number, digits only' });
const GatewayError = z.object({ message: z.string() }).meta({ id: 'OclcGatewayError' });
const ServiceError = z
  .object({ type: z.string(), title: z.string(), detail: z.unknown() })
  .meta({ id: 'OclcServiceError', description: "OCLC's {type, title, detail}" });
const TokenError = z.object({ code: z.number().int(), message: z.string() }).meta({ id: 'OclcTokenError' });

const Token = z
  .object({
    access_token: z.string(),
    token_type: z.literal('bearer'),
    expires_in: z.number().int().meta({ description: 'seconds (1199)' }),
    expires_at: z.string().meta({ description: 'YYYY-MM-DD HH:MM:SSZ, UTC' }),
    scopes: z.string(),
    contextInstitutionId: z.string(),
    principalID: z.string(),
    principalIDNS: z.string(),
  })
  .meta({ id: 'OclcToken' });

const HoldingAnswer = z
  .object({
    controlNumber: ocn.meta({
      description: 'the current number (a merged one answers the record it went into)',
    }),
    requestedControlNumber: ocn,
    institutionCode: z.string(),
    institutionSymbol: z.string(),
    success: z
      .boolean()
      .meta({ description: 'false (still 200) when nothing changed: already set, already unset, blocked' }),
    message: z.string(),
    action: z.enum(['Set Holdings', 'Unset Holdings']),
  })
  .meta({ id: 'OclcHoldingAnswer' });

const CurrentHoldings = z
  .object({
    holdings: z.array(
      z.object({
        requestedControlNumber: ocn,
        currentControlNumber: ocn.nullable(),
        institutionSymbol: z.string(),
        holdingSet: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'OclcCurrentHoldings' });

const MatchAnswer = z
  .object({ numberOfRecords: z.number().int(), briefRecords: z.array(z.record(z.string(), z.unknown())) })
  .meta({ id: 'OclcBibMatch' });

const ValidateAnswer = z
  .object({
    status: z.object({
      summary: z.string().meta({ description: 'VALID, INVALID or BIB_LACKS_CONTROL_NUMBER' }),
      description: z.string().optional(),
      validationErrors: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .meta({ id: 'OclcBibValidation' });

const oclcNumbers = z.object({
  oclcNumbers: z.string().meta({ description: 'one to ten OCLC numbers, comma-separated or repeated' }),
});
const ocnParam = z.object({ ocn });
const cascade = z.object({
  cascadeDelete: z
    .enum(['true', 'false'])
    .optional()
    .meta({ description: "true (default): the institution's LHRs and LBDs on the record go too" }),
});
const marcBody = {
  required: true,
  content: {
    'application/marcxml+xml': { schema: { type: 'string' as const } },
    'application/marc': { schema: { type: 'string' as const, format: 'binary' } },
  },
};
const json = (schema: z.ZodType) => ({ 'application/json': { schema } });
const marc = {
  'application/marcxml+xml': { schema: { type: 'string' as const } },
  'application/marc': { schema: { type: 'string' as const, format: 'binary' } },
};

/** The errors every /worldcat route may answer: 401 and 403 from the gateway, 429, 400 from the service. */
const apiErrors = {
  400: { description: 'the request is refused by the service', content: json(ServiceError) },
  401: { description: 'no token, a wrong one, or an expired one', content: json(GatewayError) },
  403: { description: "the token's scopes do not cover this route", content: json(GatewayError) },
  429: {
    description: "over the WSKey's rate limit (or a fault rule); Retry-After says when to try again",
    content: json(GatewayError),
  },
};

function op(
  operationId: string,
  summary: string,
  ok: ZodOpenApiResponseObject,
  extra: Partial<ZodOpenApiOperationObject> = {},
): ZodOpenApiOperationObject {
  return {
    operationId,
    summary,
    tags: [METADATA_API_TAG],
    security: [{ oclcBearer: [] }],
    responses: { 200: ok, ...apiErrors },
    ...extra,
  };
}

const BASE = '/worldcat/manage';

/** The mock's paths, for the admin server's OpenAPI document (they are served on its port). */
export function metadataApiPaths(): ZodOpenApiPathsObject {
  return {
    '/oauth/token': {
      post: {
        operationId: 'metadataApiToken',
        summary: "Metadata API: a token for a WSKey (OCLC's oauth.oclc.org/token; HTTP Basic key:secret)",
        tags: [METADATA_API_TAG],
        requestBody: {
          required: true,
          content: {
            'application/x-www-form-urlencoded': {
              schema: z.object({ grant_type: z.literal('client_credentials'), scope: z.string() }),
            },
          },
        },
        responses: {
          200: { description: 'a token', content: json(Token) },
          400: { description: 'a wrong grant_type, or a scope the key lacks', content: json(TokenError) },
          401: {
            description: 'no Basic credentials, an unknown key or a wrong secret',
            content: json(TokenError),
          },
        },
      },
    },
    [`${BASE}/institution/holdings/current`]: {
      get: op(
        'metadataApiCurrentHoldings',
        'Metadata API: whether the institution holds each OCN',
        {
          description: 'holdings status',
          content: json(CurrentHoldings),
        },
        { requestParams: { query: oclcNumbers } },
      ),
    },
    [`${BASE}/institution/holdings/{ocn}/set`]: {
      post: op(
        'metadataApiSetHolding',
        "Metadata API: set the token's institution's holding on an OCN",
        {
          description: 'set, or success false when it already was',
          content: json(HoldingAnswer),
        },
        { requestParams: { path: ocnParam } },
      ),
    },
    [`${BASE}/institution/holdings/{ocn}/unset`]: {
      post: op(
        'metadataApiUnsetHolding',
        "Metadata API: unset the institution's holding on an OCN",
        {
          description: 'unset, or success false when it was not set or LHRs/LBDs block it',
          content: json(HoldingAnswer),
        },
        { requestParams: { path: ocnParam, query: cascade } },
      ),
    },
    [`${BASE}/institution/holdings/set`]: {
      post: op(
        'metadataApiSetHoldingByRecord',
        'Metadata API: set the holding on the OCN a MARC record carries',
        {
          description: 'as set by OCN',
          content: json(HoldingAnswer),
        },
        { requestBody: marcBody },
      ),
    },
    [`${BASE}/institution/holdings/unset`]: {
      post: op(
        'metadataApiUnsetHoldingByRecord',
        'Metadata API: unset the holding on the OCN a MARC record carries',
        {
          description: 'as unset by OCN',
          content: json(HoldingAnswer),
        },
        { requestParams: { query: cascade }, requestBody: marcBody },
      ),
    },
    [`${BASE}/institution/holding-codes`]: {
      get: op('metadataApiHoldingCodes', "Metadata API: the institution's holding codes (its symbol)", {
        description: 'holding codes',
        content: json(
          z.object({ holdingLibraryCodes: z.array(z.object({ code: z.string(), name: z.string() })) }),
        ),
      }),
    },
    [`${BASE}/bibs/current`]: {
      get: op(
        'metadataApiCurrentNumbers',
        'Metadata API: the current number of each OCN (merges followed)',
        {
          description: 'current numbers',
          content: json(
            z.object({ controlNumbers: z.array(z.object({ requested: ocn, current: ocn.nullable() })) }),
          ),
        },
        { requestParams: { query: oclcNumbers } },
      ),
    },
    [`${BASE}/bibs/match`]: {
      post: op(
        'metadataApiMatch',
        "Metadata API: match a record with Data Sync's matching",
        {
          description: 'the best match, or none',
          content: json(MatchAnswer),
        },
        { requestBody: marcBody },
      ),
    },
    [`${BASE}/bibs/validate/{level}`]: {
      post: op(
        'metadataApiValidate',
        "Metadata API: validate a record against the simulator's rule catalogue",
        {
          description: 'VALID (400 INVALID lists the errors)',
          content: json(ValidateAnswer),
        },
        {
          requestParams: {
            path: z.object({ level: z.enum(['validateFull', 'validateAdd', 'validateReplace']) }),
          },
          requestBody: marcBody,
        },
      ),
    },
    [`${BASE}/bibs/{ocn}`]: {
      get: op(
        'metadataApiBib',
        'Metadata API: a WorldCat record (MARCXML, or MARC 21 for Accept: application/marc)',
        {
          description: 'the record',
          content: marc,
        },
        {
          requestParams: { path: ocnParam },
          responses: {
            200: { description: 'the record', content: marc },
            ...apiErrors,
            404: { description: 'the number is deleted', content: json(ServiceError) },
          },
        },
      ),
    },
    ...localRecordPaths('lhrs', 'LHR', 'local holdings record', 'an LHR file'),
  };
}

/**
 * `/manage/lhrs` and `/manage/lbds`: create (WorldCat numbers it), read, replace (or create) and
 * delete one local record; each answers the record as stored, in the format Accept asks.
 */
function localRecordPaths(
  path: 'lhrs' | 'lbds',
  short: string,
  long: string,
  fileKind: string,
): ZodOpenApiPathsObject {
  const id = short.charAt(0) + short.slice(1).toLowerCase();
  const controlNumber = z.object({
    controlNumber: z.string().meta({
      description: `the ${short}'s control number (001); for one ${fileKind} set, its LSN`,
    }),
  });
  const answer = { description: `the ${short} as WorldCat keeps it (001 its control number)`, content: marc };
  const notFound = {
    404: {
      description: `no ${short} of the token's institution has this number`,
      content: json(ServiceError),
    },
  };
  return {
    [`${BASE}/${path}`]: {
      post: op(`metadataApiCreate${id}`, `Metadata API: create a ${long}`, answer, {
        requestBody: marcBody,
      }),
    },
    [`${BASE}/${path}/{controlNumber}`]: {
      get: op(`metadataApiRead${id}`, `Metadata API: a ${long}`, answer, {
        requestParams: { path: controlNumber },
        responses: { 200: answer, ...apiErrors, ...notFound },
      }),
      put: op(`metadataApiReplace${id}`, `Metadata API: replace a ${long} (created when absent)`, answer, {
        requestParams: { path: controlNumber },
        requestBody: marcBody,
      }),
      delete: op(`metadataApiDelete${id}`, `Metadata API: delete a ${long}`, answer, {
        requestParams: { path: controlNumber },
        responses: { 200: answer, ...apiErrors, ...notFound },
      }),
    },
  };
}
