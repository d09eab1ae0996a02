import type { Router } from 'express';
import { DataSyncError } from '../../oclc/error-catalogue.ts';
import { mountRoute } from './mount-route.ts';
import { namespaceRoutes } from './namespace-routes-contract.ts';

import type { SimulatorNamespaces } from '../started-simulator.ts';

/** What the namespace routes drive: the instance's namespaces (present on the default world only). */
export type NamespaceAdmin = SimulatorNamespaces;

/** POST, GET /api/namespaces and DELETE /api/namespaces/{name}. */
export function mountNamespaceRoutes(router: Router, namespaces: NamespaceAdmin): void {
  mountRoute(router, namespaceRoutes.createNamespace, ({ body }) =>
    namespaces.create(body.name, body.config),
  );
  mountRoute(router, namespaceRoutes.listNamespaces, () => ({ namespaces: namespaces.list() }));
  mountRoute(router, namespaceRoutes.deleteNamespace, async ({ params }) => {
    if (!(await namespaces.delete(params.name)))
      throw new DataSyncError('NOT_FOUND', {
        subject: `namespace ${params.name}`,
        reason: 'there is no such namespace; GET /api/namespaces lists them',
      });
    return { name: params.name, deleted: true as const };
  });
}
