import { z } from 'zod';
import type { RouteContract } from './route-contract.ts';

/** Namespaces (issue 26): isolated worlds on one instance, beside the main contract. */

const name = z
  .string()
  .regex(/^[a-z0-9-]{1,32}$/, 'a namespace name is 1 to 32 of a-z, 0-9 and -')
  .refine((n) => n !== 'default', "default is the instance's own namespace; choose another name")
  .meta({ description: 'a-z, 0-9 and -, at most 32; not default' });

export const NamespaceSchema = z
  .object({
    name: z.string(),
    createdAt: z.string().meta({ description: 'when it was created (ISO 8601, wall clock)' }),
  })
  .meta({ id: 'Namespace' });

export const namespaceRoutes = {
  createNamespace: {
    method: 'post',
    path: '/api/namespaces',
    tags: ['namespaces'],
    summary:
      'Create a namespace: an isolated world reached at /ns/{name}/api/... and as SFTP user <account>+{name}',
    description:
      "config is the simulator config's shape with per-world keys only (institutions, worldcat, clock, processing, " +
      'faults, journal, fileNames, pickupDelay, retention, notifications); instance keys (dataDir, sftp, admin, store, ' +
      "minFreeSpace) are refused. The answer carries the namespace's admin token: its routes need it (or the instance token).",
    body: z.object({ name, config: z.record(z.string(), z.unknown()) }),
    response: z.object({
      name: z.string(),
      token: z.string().meta({ description: "the namespace's admin token; shown once" }),
    }),
    successStatus: 201,
    errors: [409],
  },
  listNamespaces: {
    method: 'get',
    path: '/api/namespaces',
    tags: ['namespaces'],
    summary: 'The namespaces of this instance (never their tokens)',
    response: z.object({ namespaces: z.array(NamespaceSchema) }),
  },
  deleteNamespace: {
    method: 'delete',
    path: '/api/namespaces/{name}',
    tags: ['namespaces'],
    summary: 'Delete a namespace: its SFTP sessions end and all its state and files are removed',
    params: z.object({ name: z.string() }),
    response: z.object({ name: z.string(), deleted: z.literal(true) }),
    errors: [404],
  },
} as const satisfies Record<string, RouteContract>;
