import type { Router } from 'express';
import { DataSyncError } from '../../oclc/error-catalogue.ts';
import type { StartedSimulator } from '../started-simulator.ts';
import { faultRoutes } from './fault-routes-contract.ts';
import { mountRoute } from './mount-route.ts';

export type FaultRouteDeps = Pick<StartedSimulator, 'faults' | 'journal' | 'sftp'>;

/** Fault rules, host-key rotation and journal verification; each route calls one method. */
export function mountFaultRoutes(router: Router, sim: FaultRouteDeps): void {
  const r = faultRoutes;
  mountRoute(router, r.addFault, ({ req }) => {
    const rule = sim.faults.add(req.body);
    return { id: rule.id };
  });
  mountRoute(router, r.listFaults, () => ({ faults: sim.faults.list() }));
  mountRoute(router, r.unusedFaults, () => ({ faults: sim.faults.unused() }));
  mountRoute(router, r.deleteFault, ({ params }) => {
    if (!sim.faults.remove(params.id)) {
      throw new DataSyncError('NOT_FOUND', {
        subject: `fault rule ${params.id}`,
        reason: 'no rule has that id; GET /api/faults lists them',
      });
    }
    return { deleted: params.id };
  });
  mountRoute(router, r.deleteFaults, () => {
    const count = sim.faults.list().length;
    sim.faults.clear();
    return { deleted: count };
  });
  mountRoute(router, r.rotateHostKey, () => sim.sftp.rotateHostKey());
  mountRoute(router, r.verifyJournal, ({ req, res }) => {
    const result = sim.journal.verify(req.body);
    if (result.ok) return { matched: result.matched };
    res.status(409).json({
      error: { code: 'JOURNAL_MISMATCH', message: result.explanation },
      matched: result.matched,
      expected: result.expected,
      nearMisses: result.nearMisses,
    });
    return undefined;
  });
}
