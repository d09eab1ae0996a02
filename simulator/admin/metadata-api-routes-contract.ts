import { z } from 'zod';
import type { RouteContract } from './route-contract.ts';

/** Admin routes that drive the WorldCat Metadata API mock (issue 25); `adminRoutes` includes these. */
export const metadataApiRoutes = {
  expireTokens: {
    method: 'post',
    path: '/api/metadata-api/tokens/expire',
    tags: ['metadata-api'],
    summary: "End the Metadata API's access tokens now (all, or one WSKey's)",
    description:
      'Every token given so far answers 401 from now on, as an expired one does, so a client must ask ' +
      'POST /oauth/token again: how to test its refresh without waiting 20 minutes.',
    body: z
      .object({ key: z.string().min(1).optional().meta({ description: "only this WSKey's tokens" }) })
      .default({}),
    response: z.object({ expired: z.number().int().meta({ description: 'tokens that were alive' }) }),
  },
} satisfies Record<string, RouteContract>;
