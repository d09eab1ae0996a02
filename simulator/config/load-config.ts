import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { DataSyncError } from '../../oclc/error-catalogue.ts';
import { configSchema, type ConfigInput, type ParsedConfig } from './config-schema.ts';
import { crossCheckConfig } from './cross-check-config.ts';
import { validateObject, validateYaml } from '../../oclc/validate-yaml.ts';
import { makeInstitution, type SimulatorConfig } from './simulator-config.ts';

export interface ConfigOverrides {
  dataDir?: string;
  /** Address both listeners bind to (a container binds 0.0.0.0). */
  host?: string;
  sftpPort?: number;
  adminPort?: number;
}

export interface LoadConfigOptions {
  /** Environment for `passwordEnv`; passed in so tests never touch process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  overrides?: ConfigOverrides;
  /** Base for a relative dataDir; defaults to the current directory. */
  baseDir?: string;
}

export function loadConfigFile(file: string, options: LoadConfigOptions = {}): SimulatorConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DataSyncError('CONFIG_UNREADABLE', { source: file, reason });
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
  if (problems.length > 0) throw invalid(source, problems);

  const overrides = options.overrides ?? {};
  const dataDir = overrides.dataDir ?? parsed.dataDir;
  const config: SimulatorConfig = {
    dataDir: isAbsolute(dataDir) ? dataDir : resolve(options.baseDir ?? process.cwd(), dataDir),
    sftp: {
      ...parsed.sftp,
      host: overrides.host ?? parsed.sftp.host,
      port: overrides.sftpPort ?? parsed.sftp.port,
    },
    admin: {
      ...parsed.admin,
      host: overrides.host ?? parsed.admin.host,
      port: overrides.adminPort ?? parsed.admin.port,
    },
    minFreeSpace: parsed.minFreeSpace,
    fileNames: parsed.fileNames,
    pickupDelayMs: parsed.pickupDelay,
    processing: parsed.processing,
    clock: parsed.clock,
    worldcat: {
      ...parsed.worldcat,
      records: parsed.worldcat.records.map((file) =>
        isAbsolute(file) ? file : resolve(options.baseDir ?? process.cwd(), file),
      ),
    },
    institutions,
  };
  return deepFreeze(config);
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
