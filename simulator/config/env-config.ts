import type { ConfigInput } from './config-schema.ts';

/**
 * A one-institution configuration from environment variables, for quick starts in a container:
 * DATASYNC_SIM_SYMBOL and DATASYNC_SIM_PASSWORD, optionally DATASYNC_SIM_BIB_COLLECTION,
 * DATASYNC_SIM_LHR_COLLECTION, DATASYNC_SIM_PROCESSING, DATASYNC_SIM_FILE_NAMES and
 * DATASYNC_SIM_PICKUP_DELAY. Undefined when DATASYNC_SIM_SYMBOL is not set.
 */
export function configFromEnv(env: Readonly<Record<string, string | undefined>>): ConfigInput | undefined {
  const symbol = env['DATASYNC_SIM_SYMBOL'];
  if (!symbol) return undefined;
  return {
    fileNames: (env['DATASYNC_SIM_FILE_NAMES'] ?? 'strict') as 'strict' | 'faithful',
    pickupDelay: env['DATASYNC_SIM_PICKUP_DELAY'] ?? '0s',
    processing: env['DATASYNC_SIM_PROCESSING'] ?? 'immediate',
    institutions: [
      {
        symbol,
        ...(env['DATASYNC_SIM_PASSWORD'] ? { password: env['DATASYNC_SIM_PASSWORD'] } : {}),
        collections: [
          { id: env['DATASYNC_SIM_BIB_COLLECTION'] ?? '1234567', type: 'bib', default: true },
          { id: env['DATASYNC_SIM_LHR_COLLECTION'] ?? '7654321', type: 'lhr' },
        ],
      },
    ],
  };
}
