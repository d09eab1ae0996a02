import type { Router } from 'express';
import { DataSyncError } from '../../oclc/error-catalogue.ts';
import { mijFromRecord, recordFromMij } from '../../oclc/marc/marc-in-json.ts';
import { recodeRecord } from '../../oclc/marc/recode-record.ts';
import type { StartedSimulator } from '../started-simulator.ts';
import type { StoredRecord } from '../worldcat/worldcat-records.ts';
import { mountRoute } from './mount-route.ts';
import { outputRoutes } from './output-routes-contract.ts';

export type OutputRouteDeps = Pick<StartedSimulator, 'output' | 'records'>;

const view = (stored: StoredRecord) => ({
  ocn: stored.ocn,
  record: stored.record ? mijFromRecord(recodeRecord(stored.record, 'utf8')) : null,
  updatedAt: stored.updatedAt === null ? null : new Date(stored.updatedAt).toISOString(),
});

/** WorldCat record edits and merges, and record output; each route calls one method. */
export function mountOutputRoutes(router: Router, sim: OutputRouteDeps): void {
  const r = outputRoutes;
  mountRoute(router, r.getWorldCatRecord, ({ params }) => {
    const stored = sim.records.get(params.ocn);
    if (!stored)
      throw new DataSyncError('NOT_FOUND', {
        subject: `WorldCat record ${params.ocn}`,
        reason: 'that number is deleted in WorldCat (config worldcat.deleted)',
      });
    return view(stored);
  });
  mountRoute(router, r.editWorldCatRecord, async ({ params, body }) =>
    view(await sim.records.edit(params.ocn, recordFromMij(body))),
  );
  mountRoute(router, r.mergeWorldCatRecords, ({ body }) => sim.records.merge(body.from, body.to));
  mountRoute(router, r.deliverOutput, async ({ body }) => ({
    deliveries: await sim.output.deliver(body ?? {}),
  }));
  mountRoute(router, r.listOutputFiles, async ({ query }) => ({ files: await sim.output.files(query) }));
}
