import type { Request, Response, Router } from 'express';
import { decideLhrRecord } from '../../oclc/datasync/decide-lhr-record.ts';
import { lhrFromFields, withLocalNumbers } from '../../oclc/datasync/local-record.ts';
import type { MarcRecord } from '../../oclc/marc/marc-record.ts';
import { writeIso2709 } from '../../oclc/marc/write-iso2709.ts';
import { findInstitution } from '../config/find-institution.ts';
import { grantOf } from './api-tokens.ts';
import { bodyRecord, marcBody } from './body-record.ts';
import { storedRecord } from './stored-record.ts';
import { sendRecord } from './marc-answer.ts';
import type { MetadataApiDeps } from './metadata-api-deps.ts';
import { oclcAnswers } from './oclc-answers.ts';

const BASE = '/worldcat/manage/lhrs';

/**
 * Local holdings records in the same `lhrs` table Data Sync LHR files write (D140): the control
 * number is the record's key there, so an LHR the API created is the one a file with that 001
 * replaces, and a file's LHR is read, replaced and deleted here by its LSN.
 */
export function mountLhrRoutes(router: Router, deps: MetadataApiDeps): void {
  router.post(BASE, marcBody, async (req, res) => {
    await writeLhr(deps, req, res, undefined);
  });
  router.get(`${BASE}/:controlNumber`, (req, res) => {
    const record = readLhr(deps, res, req.params['controlNumber'] ?? '');
    if (record) sendRecord(req, res, record);
  });
  router.put(`${BASE}/:controlNumber`, marcBody, async (req, res) => {
    await writeLhr(deps, req, res, req.params['controlNumber'] ?? '');
  });
  router.delete(`${BASE}/:controlNumber`, async (req, res) => {
    const controlNumber = req.params['controlNumber'] ?? '';
    const record = readLhr(deps, res, controlNumber);
    if (!record) return;
    const { symbol } = grantOf(res);
    const at = deps.clock.now();
    await deps.worldcatWrite(() => deps.worldcat.singleLhrs.delete(symbol, controlNumber, at));
    sendRecord(req, res, record);
  });
}

/** The LHR as WorldCat answers it, or undefined after OCLC's 404 (none, or another institution's). */
function readLhr(deps: MetadataApiDeps, res: Response, controlNumber: string): MarcRecord | undefined {
  const { symbol } = grantOf(res);
  const lhr = deps.worldcat.singleLhrs.get(symbol, controlNumber);
  if (!lhr) {
    oclcAnswers.notFound(res);
    return undefined;
  }
  res.locals['ocn'] = lhr.ocn;
  return lhr.marc
    ? withLocalNumbers(storedRecord(lhr.marc), lhr.lsn, lhr.ocn)
    : lhrFromFields({ ...lhr, symbol });
}

/**
 * Creates (POST, `controlNumber` undefined: WorldCat numbers it) or replaces (PUT) an LHR after
 * Data Sync's LHR rules, with the same messages its exception reports give.
 */
async function writeLhr(
  deps: MetadataApiDeps,
  req: Request,
  res: Response,
  controlNumber: string | undefined,
): Promise<void> {
  const operation = controlNumber === undefined ? 'create' : 'update';
  const sent = await bodyRecord(req, res);
  if (!sent) return;
  const { symbol } = grantOf(res);
  const decision = decideLhrRecord(withLocalNumbers(sent, controlNumber ?? 'new'), {
    ocnField: '004',
    collectionType: 'lhr',
    allowedSymbols: [symbol],
  });
  if (!decision.ok) {
    oclcAnswers.badRequest(
      res,
      `Unable to perform the lhr ${operation} operation.`,
      decision.refusal.message,
    );
    return;
  }
  const current = deps.worldcat.records.current(decision.lhr.ocn);
  if (current === undefined) {
    oclcAnswers.badRequest(res, `Unable to perform the lhr ${operation} operation.`, {
      summary: 'NOT_FOUND',
      description: `Not able to find the Bib ${decision.lhr.ocn} named in 004`,
    });
    return;
  }
  const collection = findInstitution(deps.config.institutions, symbol).defaultCollection.id;
  const at = deps.clock.now();
  const record = await deps.worldcatWrite(() => {
    const lsn = controlNumber ?? deps.worldcat.singleLhrs.nextControlNumber();
    const numbered = withLocalNumbers(sent, lsn, current);
    deps.worldcat.singleLhrs.put(
      symbol,
      { ...decision.lhr, lsn, ocn: current, marc: writeIso2709(numbered.leader, numbered.fields) },
      at,
      collection,
    );
    return numbered;
  });
  res.locals['ocn'] = current;
  sendRecord(req, res, record);
}
