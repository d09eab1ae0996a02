import type { Router } from 'express';
import type { MetadataApiDeps } from './metadata-api-deps.ts';
import { grantOf } from './api-tokens.ts';
import { oclcAnswers, oclcNumberList } from './oclc-answers.ts';

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

  router.get(`${BASE}/holding-codes`, (_req, res) => {
    const { symbol } = grantOf(res);
    res.json({ holdingLibraryCodes: [{ code: symbol, name: symbol }] });
  });
}
