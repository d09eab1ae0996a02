import { DataSyncError } from '../../oclc/error-catalogue.ts';
import type { ConfigInput } from './config-schema.ts';
import { defineConfig } from './load-config.ts';
import type { SimulatorConfig } from './simulator-config.ts';

/** A namespace's name: the pinned pattern of issue 26; `default` is the instance's own world. */
export const NAMESPACE_NAME = /^[a-z0-9-]{1,32}$/;
export const DEFAULT_NAMESPACE_NAME = 'default';

/** What a namespace may set: its world. */
export const PER_WORLD_KEYS = [
  'institutions',
  'worldcat',
  'clock',
  'processing',
  'faults',
  'journal',
  'fileNames',
  'pickupDelay',
  'retention',
  'notifications',
] as const;

/** Set once for the whole instance (listeners, disk, store); a namespace shares them. */
const INSTANCE_KEYS = new Set(['dataDir', 'sftp', 'admin', 'store', 'minFreeSpace']);

/**
 * A namespace's config: its own per-world keys, validated by the same schema as the simulator's
 * config, with the instance's listeners and limits and its own data dir. Anything that reads
 * the server's files or environment (worldcat.records, passwordEnv) is refused: the config comes
 * over HTTP from whoever holds the instance token.
 */
export function namespaceConfig(
  name: string,
  input: unknown,
  instance: SimulatorConfig,
  dataDir: string,
): SimulatorConfig {
  const source = `namespace ${name}`;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw invalid(source, [
      `config is an object in the simulator config's shape with these keys: ${PER_WORLD_KEYS.join(', ')}`,
    ]);
  }
  const problems = serverReaches(input as Record<string, unknown>);
  if (problems.length > 0) throw invalid(source, problems);
  let parsed: SimulatorConfig;
  try {
    parsed = defineConfig(input as ConfigInput, { env: {} });
  } catch (error) {
    if (error instanceof DataSyncError && error.code === 'CONFIG_INVALID')
      throw new DataSyncError('CONFIG_INVALID', { ...error.params, source });
    throw error;
  }
  // No store: it is an instance key, refused above.
  return Object.freeze({
    ...parsed,
    dataDir,
    sftp: instance.sftp,
    admin: instance.admin,
    minFreeSpace: instance.minFreeSpace,
  });
}

function serverReaches(input: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(input)) {
    if (INSTANCE_KEYS.has(key))
      problems.push(
        `${key} is an instance key, set once in the instance's own config; leave it out ` +
          `(a namespace sets only ${PER_WORLD_KEYS.join(', ')})`,
      );
  }
  const records = (input['worldcat'] as { records?: unknown } | undefined)?.records;
  if (Array.isArray(records) && records.length > 0)
    problems.push(
      'worldcat.records names files on the server, which a namespace cannot read; leave it out and ' +
        "load records by uploading them, or set worldcat.records in the instance's config",
    );
  const institutions = Array.isArray(input['institutions']) ? (input['institutions'] as unknown[]) : [];
  institutions.forEach((institution, i) => {
    if ((institution as { passwordEnv?: unknown } | null)?.passwordEnv !== undefined)
      problems.push(
        `institutions.${i}.passwordEnv reads the server's environment, which a namespace cannot; give password or publicKeys`,
      );
  });
  return problems;
}

function invalid(source: string, problems: readonly string[]): DataSyncError {
  const list = problems.map((p) => `\n  - ${p}`).join('');
  return new DataSyncError('CONFIG_INVALID', { source, problems: `${problems.length} problem(s)${list}` });
}
