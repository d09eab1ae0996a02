import type { Router } from 'express';
import { findInstitution } from '../config/find-institution.ts';
import type { Collection } from '../config/simulator-config.ts';
import type { StartedSimulator } from '../started-simulator.ts';
import { institutionRoutes } from './institution-routes-contract.ts';
import { mountRoute } from './mount-route.ts';

/** The settings a collection is processed with, as the admin API shows them. */
function collectionView(c: Collection) {
  return {
    id: c.id,
    type: c.type,
    default: c.default,
    ocnField: c.ocnField,
    lsnField: [...c.lsnField],
    output: c.output ? { ...c.output, include: [...c.output.include] } : null,
    validation: { block: [...c.validation.block] },
    holdings: c.holdings,
    lhr: { translation: c.lhr.translation.map((r) => ({ match: { ...r.match }, set: { ...r.set } })) },
  };
}

/** GET /api/institutions/{symbol}: one institution with its collection settings. */
export function mountInstitutionRoutes(router: Router, sim: Pick<StartedSimulator, 'config'>): void {
  mountRoute(router, institutionRoutes.getInstitution, ({ params }) => {
    const i = findInstitution(sim.config.institutions, params.symbol);
    return {
      symbol: i.symbol,
      encodedSymbol: i.encodedSymbol,
      accounts: { ...i.accounts },
      uploadsFor: [...i.uploadsFor],
      collections: i.collections.map(collectionView),
    };
  });
}
