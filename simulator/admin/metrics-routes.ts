import type { Request, Response, Router } from 'express';
import type { StartedSimulator } from '../started-simulator.ts';
import { mountRoute } from './mount-route.ts';
import { metricsRoutes } from './metrics-routes-contract.ts';

/** GET /metrics, and the count of API calls by status it reports. */
export function mountMetricsRoutes(router: Router, sim: Pick<StartedSimulator, 'metrics'>): void {
  mountRoute(router, metricsRoutes.metrics, async ({ res }) => {
    const { contentType, text } = await sim.metrics.scrape();
    res.type(contentType).send(text);
    return undefined;
  });
}

/** Counts each admin API call once answered (refusals by the guard included). */
export function countApiCalls(sim: Pick<StartedSimulator, 'metrics'>, namespace: string) {
  return (req: Request, res: Response, next: () => void): void => {
    if (req.path.startsWith('/api/'))
      res.once('finish', () => sim.metrics.apiRequest(namespace, req.method, res.statusCode));
    next();
  };
}
