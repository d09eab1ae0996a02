import type { Request, Response, Router } from 'express';
import type { UnsetOutcome } from '../worldcat/single-holdings.ts';
import { findInstitution } from '../config/find-institution.ts';
import type { MetadataApiDeps } from './metadata-api-deps.ts';
import { grantOf } from './api-tokens.ts';
import { institutionCode } from './institution-code.ts';
import { oclcAnswers, oclcNumberList, pathOcn } from './oclc-answers.ts';
import { bodyRecord, marcBody } from './body-record.ts';
import { ocnFrom001, ocnFrom035 } from '../../oclc/datasync/ocn.ts';

const BASE = '/worldcat/manage/institution';

/** Holdings of the token's institution in the same WorldCat Data Sync writes. */
export function mountHoldingsRoutes(router: Router, deps: MetadataApiDeps): void {
  router.get(`${BASE}/holdings/current`, (req, res) => {
    const list = oclcNumberList(req.query['oclcNumbers']);
    if (!list.ok) {
      oclcAnswers.badRequest(res, list.title, list.detail);
      return;
    }
    const { symbol } = grantOf(res);
    res.json({
      holdings: list.numbers.map((requested) => {
        const current = deps.worldcat.records.current(requested) ?? null;
        return {
          requestedControlNumber: requested,
          currentControlNumber: current,
          institutionSymbol: symbol,
          holdingSet: current !== null && deps.worldcat.holdingOf(symbol, current) !== undefined,
        };
      }),
    });
  });

  router.post(`${BASE}/holdings/:ocn/set`, async (req, res) => {
    const ocn = pathOcn(res, req.params['ocn']);
    if (ocn !== undefined) await setHolding(deps, res, ocn);
  });
  router.post(`${BASE}/holdings/:ocn/unset`, async (req, res) => {
    const ocn = pathOcn(res, req.params['ocn']);
    const cascade = cascadeDelete(req, res);
    if (ocn !== undefined && cascade !== undefined) await unsetHolding(deps, res, ocn, cascade);
  });

  // The same with a MARC record: its OCN (035 (OCoLC), or 001 with 003 OCoLC) names the record.
  router.post(`${BASE}/holdings/set`, marcBody, async (req, res) => {
    const ocn = await recordOcn(req, res, 'set');
    if (ocn !== undefined) await setHolding(deps, res, ocn);
  });
  router.post(`${BASE}/holdings/unset`, marcBody, async (req, res) => {
    const cascade = cascadeDelete(req, res);
    if (cascade === undefined) return;
    const ocn = await recordOcn(req, res, 'unset');
    if (ocn !== undefined) await unsetHolding(deps, res, ocn, cascade);
  });

  router.get(`${BASE}/holding-codes`, (_req, res) => {
    const { symbol } = grantOf(res);
    res.json({ holdingLibraryCodes: [{ code: symbol, name: symbol }] });
  });
}

/** The answer set and unset share (OCLC's field names), for the current number of `requested`. */
function holdingAnswer(
  res: Response,
  requested: string,
  current: string,
  outcome: { action: 'Set Holdings' | 'Unset Holdings'; success: boolean; message: string },
) {
  const { symbol } = grantOf(res);
  res.locals['ocn'] = current;
  res.json({
    controlNumber: current,
    requestedControlNumber: requested,
    institutionCode: institutionCode(symbol),
    institutionSymbol: symbol,
    success: outcome.success,
    message: outcome.message,
    action: outcome.action,
  });
}

/** A number WorldCat does not have (deleted): OCLC's 400 for set and unset. */
function bibNotFound(res: Response): void {
  oclcAnswers.badRequest(res, 'Unable to perform the bib read operation.', {
    summary: 'NOT_FOUND',
    description: 'Not able to find the requested Bib',
  });
}

export async function setHolding(deps: MetadataApiDeps, res: Response, requested: string): Promise<void> {
  const current = deps.worldcat.records.current(requested);
  if (current === undefined) {
    bibNotFound(res);
    return;
  }
  const { symbol } = grantOf(res);
  const collection = defaultCollection(deps, symbol);
  const done = await deps.worldcatWrite(() =>
    deps.worldcat.single.set(symbol, current, deps.clock.now(), collection),
  );
  holdingAnswer(res, requested, current, {
    action: 'Set Holdings',
    success: done,
    message: done ? 'Set Holding Succeeded.' : 'WorldCat Holding already set.',
  });
}

const UNSET_MESSAGES: Readonly<Record<UnsetOutcome, string>> = {
  unset: 'Unset Holdings Succeeded.',
  'not-held': 'WorldCat Holding already unset.',
  'blocked-by-lbds': 'Unset Holdings Failed. Local bibliographic data (LBD) is attached to this record.',
  'blocked-by-lhrs': 'Unset Holdings Failed. Local holdings records (LHRs) are attached to this record.',
  'blocked-by-both':
    'Unset Holdings Failed. Local bibliographic data (LBD) and local holdings records (LHRs) are attached to this record.',
};

export async function unsetHolding(
  deps: MetadataApiDeps,
  res: Response,
  requested: string,
  cascade: boolean,
): Promise<void> {
  const current = deps.worldcat.records.current(requested);
  if (current === undefined) {
    bibNotFound(res);
    return;
  }
  const { symbol } = grantOf(res);
  const at = deps.clock.now();
  const collection = defaultCollection(deps, symbol);
  const outcome = await deps.worldcatWrite(() =>
    deps.worldcat.single.unset(symbol, current, at, cascade, collection),
  );
  holdingAnswer(res, requested, current, {
    action: 'Unset Holdings',
    success: outcome === 'unset',
    message: UNSET_MESSAGES[outcome],
  });
}

/** `cascadeDelete`: true (OCLC's default) or false; anything else is OCLC's 400. */
export function cascadeDelete(req: Request, res: Response): boolean | undefined {
  const value = req.query['cascadeDelete'];
  if (value === undefined || value === 'true') return true;
  if (value === 'false') return false;
  oclcAnswers.badRequest(
    res,
    'Invalid value.',
    `A request with a non-boolean value was attempted: ${String(value)}`,
  );
  return undefined;
}

/** The OCN of the body's record; without one, OCLC's BIB_LACKS_CONTROL_NUMBER. */
async function recordOcn(
  req: Request,
  res: Response,
  operation: 'set' | 'unset',
): Promise<string | undefined> {
  const record = await bodyRecord(req, res);
  if (!record) return undefined;
  const ocn = ocnFrom035(record) ?? ocnFrom001(record);
  if (ocn !== undefined) return ocn;
  res.status(400).json({
    type: 'BAD_REQUEST',
    title: `Unable to perform the ${operation} holding operation.`,
    status: { summary: 'BIB_LACKS_CONTROL_NUMBER', description: 'Record is missing a control number' },
  });
  return undefined;
}

/** The collection an API holding belongs to for record output: the institution's default. */
function defaultCollection(deps: MetadataApiDeps, symbol: string): string {
  return findInstitution(deps.config.institutions, symbol).defaultCollection.id;
}
