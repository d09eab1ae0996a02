import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { DataSyncError } from '../../oclc/error-catalogue.ts';
import { unreadableFile } from '../../oclc/file-system-error.ts';
import { configSchema, type ConfigInput, type ParsedConfig } from './config-schema.ts';
import { crossCheckConfig } from './cross-check-config.ts';
import { validateObject, validateYaml } from '../../oclc/validate-yaml.ts';
import { makeInstitution, type SimulatorConfig } from './simulator-config.ts';

/** Values that replace the file's (the CLI's flags and environment variables). */
export interface ConfigOverrides {
  dataDir?: string;
  /** Address both listeners bind to (a container binds 0.0.0.0). */
  host?: string;
  sftpPort?: number;
  adminPort?: number;
  /** The admin API token (DATASYNC_ADMIN_TOKEN), over admin.token and admin.tokenEnv. */
  adminToken?: string;
}

/** Options of `loadConfigFile` and `parseConfigText`. */
export interface LoadConfigOptions {
  /** Environment for `passwordEnv`; passed in so tests never touch process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  overrides?: ConfigOverrides;
  /** Base for a relative dataDir; defaults to the current directory. */
  baseDir?: string;
  /**
   * Makes an admin token when the admin API listens off loopback and none is configured, instead
   * of refusing (the Docker image does this and prints the token).
   */
  generateAdminToken?: () => string;
}

/** Reads and validates a YAML configuration file; throws a `DataSyncError` naming every problem and its line. */
export function loadConfigFile(file: string, options: LoadConfigOptions = {}): SimulatorConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw unreadableFile(error, file, 'configuration file');
  }
  return parseConfigText(text, file, options);
}

/** Parses and validates YAML config text; every problem is reported at once, with its line. */
export function parseConfigText(
  text: string,
  source: string,
  options: LoadConfigOptions = {},
): SimulatorConfig {
  const result = validateYaml(text, configSchema, crossCheckConfig);
  if (!result.ok) throw invalid(source, result.problems);
  return finish(result.data, source, options);
}

/** Validates a config given as an object (library users, tests); same rules as the YAML file. */
export function defineConfig(input: ConfigInput, options: LoadConfigOptions = {}): SimulatorConfig {
  const result = validateObject(input, configSchema, crossCheckConfig);
  if (!result.ok) throw invalid('(object)', result.problems);
  return finish(result.data, '(object)', options);
}

function finish(parsed: ParsedConfig, source: string, options: LoadConfigOptions): SimulatorConfig {
  const env = options.env ?? {};
  const problems: string[] = [];
  const institutions = parsed.institutions.map((inst) => {
    let password = inst.password;
    if (inst.passwordEnv !== undefined) {
      password = env[inst.passwordEnv];
      if (!password) {
        problems.push(
          `institutions ${inst.symbol}: passwordEnv ${inst.passwordEnv} is not set in the environment`,
        );
      }
    }
    return makeInstitution({ ...inst, password });
  });
  const overrides = options.overrides ?? {};
  const adminHost = overrides.host ?? parsed.admin.host;
  let adminToken = readAdminToken(parsed.admin, overrides, env, problems);
  if (adminToken === undefined && !isLoopback(adminHost)) adminToken = options.generateAdminToken?.();
  if (adminToken === undefined && !isLoopback(adminHost)) {
    problems.push(
      `admin.host is ${adminHost}, which other machines can reach: set admin.token, admin.tokenEnv or ` +
        'DATASYNC_ADMIN_TOKEN so only its owner can drive the admin API (or listen on 127.0.0.1)',
    );
  }
  if (problems.length > 0) throw invalid(source, problems);

  const dataDir = overrides.dataDir ?? parsed.dataDir;
  const config: SimulatorConfig = {
    dataDir: isAbsolute(dataDir) ? dataDir : resolve(options.baseDir ?? process.cwd(), dataDir),
    sftp: {
      host: overrides.host ?? parsed.sftp.host,
      port: overrides.sftpPort ?? parsed.sftp.port,
      ...(parsed.sftp.hostKeyFile === undefined ? {} : { hostKeyFile: parsed.sftp.hostKeyFile }),
      personality: parsed.sftp.personality,
      loginGraceTimeMs: parsed.sftp.loginGraceTime,
      maxAuthTries: parsed.sftp.maxAuthTries,
      maxConnections: parsed.sftp.maxConnections,
      maxStartupsPerAddress: parsed.sftp.maxStartupsPerAddress,
      proxyProtocol: parsed.sftp.proxyProtocol,
      maxHandles: parsed.sftp.maxHandles,
      maxFileSize: parsed.sftp.maxFileSize,
      maxSessionsPerAccount: parsed.sftp.maxSessionsPerAccount,
      idleTimeoutMs: parsed.sftp.idleTimeout,
      defender:
        parsed.sftp.defender === false
          ? false
          : {
              threshold: parsed.sftp.defender.threshold,
              windowMs: parsed.sftp.defender.window,
              banMs: parsed.sftp.defender.ban,
            },
    },
    journal: parsed.journal,
    ...(parsed.store
      ? {
          store: {
            url: parsed.store.url,
            replica: parsed.store.replica ?? replicaName(),
            leaseMs: parsed.store.lease,
          },
        }
      : {}),
    admin: {
      host: adminHost,
      port: overrides.adminPort ?? parsed.admin.port,
      token: adminToken,
      hostNames: parsed.admin.hostNames,
    },
    minFreeSpace: parsed.minFreeSpace,
    fileNames: parsed.fileNames,
    pickupDelayMs: parsed.pickupDelay,
    retentionMs: parsed.retention.uploads,
    processing: parsed.processing.mode,
    maxFileTimeMs: parsed.processing.maxFileTime,
    clock: parsed.clock,
    worldcat: {
      ...parsed.worldcat,
      records: parsed.worldcat.records.map((file) =>
        isAbsolute(file) ? file : resolve(options.baseDir ?? process.cwd(), file),
      ),
    },
    institutions,
    faults: parsed.faults,
    notifications: {
      webhooks: parsed.notifications.webhooks,
      retry: { attempts: parsed.notifications.retry.attempts, backoffMs: parsed.notifications.retry.backoff },
    },
  };
  return deepFreeze(config);
}

function readAdminToken(
  admin: ParsedConfig['admin'],
  overrides: ConfigOverrides,
  env: Readonly<Record<string, string | undefined>>,
  problems: string[],
): string | undefined {
  if (overrides.adminToken) return overrides.adminToken;
  if (admin.token !== undefined && admin.tokenEnv !== undefined)
    problems.push('admin: give token or tokenEnv, not both');
  if (admin.tokenEnv === undefined) return admin.token;
  const token = env[admin.tokenEnv];
  if (!token) problems.push(`admin.tokenEnv ${admin.tokenEnv} is not set in the environment`);
  else if (token.length < 16)
    problems.push(`admin.tokenEnv ${admin.tokenEnv} holds fewer than 16 characters`);
  return token || undefined;
}

/** Addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127\.\d+\.\d+\.\d+$/.test(bare);
}

function invalid(source: string, problems: readonly string[]): DataSyncError {
  const list = problems.map((p) => `\n  - ${p}`).join('');
  return new DataSyncError('CONFIG_INVALID', { source, problems: `${problems.length} problem(s)${list}` });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** A replica's default name: the host's (each container has its own), made a valid name. */
function replicaName(): string {
  return (
    hostname()
      .replace(/[^A-Za-z0-9._-]/g, '-')
      .replace(/^[^A-Za-z0-9]+/, '')
      .slice(0, 63) || 'replica'
  );
}
