import type { Router } from 'express';
import { matchKeys } from '../../oclc/datasync/match-keys.ts';
import { ocnFrom001, ocnFrom035 } from '../../oclc/datasync/ocn.ts';
import { validateBib } from '../../oclc/datasync/validate-bib.ts';
import { briefRecord, withControlNumbers } from '../../oclc/datasync/worldcat-record.ts';
import { bodyRecord, marcBody } from './body-record.ts';
import { briefBib } from './brief-record.ts';
import { validationErrors } from './validation-answer.ts';
import type { MetadataApiDeps } from './metadata-api-deps.ts';
import { sendRecord } from './marc-answer.ts';
import { oclcAnswers, oclcNumberList, pathOcn } from './oclc-answers.ts';

const BASE = '/worldcat/manage/bibs';
const VALIDATION_LEVELS = ['validateFull', 'validateAdd', 'validateReplace'];

/** Bibliographic records of the simulated WorldCat, by OCN (merges followed, as OCLC does). */
export function mountBibRoutes(router: Router, deps: MetadataApiDeps): void {
  router.get(`${BASE}/current`, (req, res) => {
    const list = oclcNumberList(req.query['oclcNumbers']);
    if (!list.ok) {
      oclcAnswers.badRequest(res, list.title, list.detail);
      return;
    }
    res.json({
      controlNumbers: list.numbers.map((requested) => ({
        requested,
        current: deps.worldcat.records.current(requested) ?? null,
      })),
    });
  });

  router.post(`${BASE}/match`, marcBody, async (req, res) => {
    const record = await bodyRecord(req, res);
    if (!record) return;
    // Data Sync's matching: the record's own number (merges followed), else the full match.
    const byNumber = ocnFrom035(record) ?? ocnFrom001(record);
    const ocn =
      (byNumber === undefined ? undefined : deps.worldcat.records.current(byNumber)) ??
      deps.worldcat.fullMatch(matchKeys(record));
    if (ocn === undefined) {
      res.json({ numberOfRecords: 0, briefRecords: [] });
      return;
    }
    res.locals['ocn'] = ocn;
    res.json({
      numberOfRecords: 1,
      briefRecords: [briefBib(ocn, deps.worldcat.records.get(ocn)?.record ?? record)],
    });
  });

  router.post(`${BASE}/validate/:level`, marcBody, async (req, res) => {
    const level = req.params['level'] ?? '';
    if (!VALIDATION_LEVELS.includes(level)) {
      oclcAnswers.badRequest(
        res,
        'Invalid validation level.',
        `A request with an invalid validation level was attempted: ${level} (use ${VALIDATION_LEVELS.join(', ')})`,
      );
      return;
    }
    const record = await bodyRecord(req, res);
    if (!record) return;
    if (level === 'validateReplace' && ocnFrom035(record) === undefined && ocnFrom001(record) === undefined) {
      res.status(400).json({
        status: { summary: 'BIB_LACKS_CONTROL_NUMBER', description: 'Record is missing a control number' },
      });
      return;
    }
    const issues = validateBib(record);
    if (issues.length === 0) {
      res.json({ status: { summary: 'VALID', description: 'The provided Bib is valid' } });
      return;
    }
    res.status(400).json({
      status: {
        summary: 'INVALID',
        description: 'The provided Bib is invalid',
        validationErrors: validationErrors(issues),
      },
    });
  });

  router.get(`${BASE}/:ocn`, (req, res) => {
    const ocn = pathOcn(res, req.params['ocn']);
    if (ocn === undefined) return;
    const stored = deps.worldcat.records.get(ocn);
    if (!stored) {
      res.status(404).json({
        type: 'NOT_FOUND',
        title: 'Unable to perform the bib read operation.',
        detail: { summary: 'NOT_FOUND', description: 'Not able to find the requested Bib' },
      });
      return;
    }
    // A number WorldCat knows without a record (a holding set by number only) reads as a brief
    // record; a master is answered with WorldCat's own control numbers, as record output does.
    const record = stored.record ?? briefRecord();
    sendRecord(req, res, withControlNumbers(record, stored.ocn, record.values('019', 'a')));
  });
}
