import type { Router } from 'express';
import { briefRecord, withControlNumbers } from '../../oclc/datasync/worldcat-record.ts';
import type { MetadataApiDeps } from './metadata-api-deps.ts';
import { sendRecord } from './marc-answer.ts';
import { oclcAnswers, oclcNumberList, pathOcn } from './oclc-answers.ts';

const BASE = '/worldcat/manage/bibs';

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
