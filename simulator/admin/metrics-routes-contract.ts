import { z } from 'zod';
import type { RouteContract } from './route-contract.ts';

/** GET /metrics (issue 26), beside the main contract like the fault routes. */
export const metricsRoutes = {
  metrics: {
    method: 'get',
    path: '/metrics',
    tags: ['simulator'],
    summary:
      'Prometheus metrics: sessions, logins, uploads and bytes, files by outcome, processing time, records, reports, faults, API calls, queue depth, event-loop lag',
    description:
      'Prometheus text format (prom-client); each series has a namespace label. Needs the admin token when admin.token is set.',
    response: z.string(),
    responseMediaType: 'text/plain; version=0.0.4',
  },
} as const satisfies Record<string, RouteContract>;
