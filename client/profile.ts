import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { parseByteSize } from '../oclc/byte-size.ts';
import { DataSyncError } from '../oclc/error-catalogue.ts';
import { unreadableFile } from '../oclc/file-system-error.ts';
import { accountNamesFor, encodeSymbol } from '../oclc/symbol-encoding.ts';
import { validateYaml, type YamlProblem } from '../oclc/validate-yaml.ts';

const byteSize = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const bytes = parseByteSize(value);
  if (bytes === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is not a size; write it like 100MB, 512KiB or 1048576`,
    });
    return z.NEVER;
  }
  return bytes;
});

/** Mirrors Alma's "Synchronize … with OCLC" publishing profile and its S/FTP connection. */
const profileSchema = z.strictObject({
  name: z.string().min(1),
  symbol: z
    .string()
    .min(1)
    .regex(/^[A-Za-z0-9@$#]+$/, 'a symbol has letters, digits and @ $ # only'),
  collectionId: z
    .string({ error: 'quote the collection ID: collectionId: "1012676"' })
    .regex(/^\d{7}$/, 'collection IDs are exactly 7 digits'),
  kind: z.enum(['bib', 'lhr']).default('bib'),
  label: z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9_-]*$/,
      'a label has letters, digits, - and _ (it becomes part of the file name)',
    )
    .default('bibs'),
  sftp: z.strictObject({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(22),
    subDirectory: z.string().min(1).optional(),
    user: z.string().min(1).optional(),
    passwordEnv: z.string().min(1).optional(),
    passwordFile: z.string().min(1).optional(),
    privateKeyFile: z.string().min(1).optional(),
    hostKey: z
      .union([
        z.strictObject({
          fingerprint: z
            .string()
            .regex(
              /^SHA256:[A-Za-z0-9+/]{43}$/,
              'a fingerprint looks like SHA256:<43 base64 characters>, as ssh-keygen -l prints it',
            ),
        }),
        z.strictObject({ knownHosts: z.string().min(1) }),
        z.strictObject({ acceptAny: z.literal(true) }),
      ])
      .optional(),
    /** Tries after a failed first attempt, per part: 5 means up to 6 attempts. */
    retries: z.number().int().min(0).max(20).default(5),
  }),
  limits: z
    .strictObject({
      maxFileSize: byteSize.optional(),
      maxRecordsPerFile: z.number().int().positive().optional(),
    })
    .prefault({}),
  state: z.string().min(1).default('.datasync-client'),
});

export type ProfileInput = z.input<typeof profileSchema>;

/** A publishing profile as Alma keeps one: where to upload, as whom, what and how often. */
export interface PublishingProfile {
  name: string;
  symbol: string;
  encodedSymbol: string;
  collectionId: string;
  kind: 'bib' | 'lhr';
  label: string;
  sftp: {
    host: string;
    port: number;
    subDirectory: string;
    user: string;
    auth: { password: string } | { privateKey: string };
    hostKey: { fingerprint: string } | { knownHosts: string } | { acceptAny: true };
    retries: number;
  };
  limits: { maxFileSize: number; maxRecordsPerFile: number };
  stateDir: string;
}

export interface ProfileOptions {
  env?: Readonly<Record<string, string | undefined>>;
  /** Relative paths in the profile are resolved against this (the profile's folder). */
  baseDir?: string;
  /**
   * For a plan that never connects (`publish --dry-run`): the password or key is not read, so a
   * dry run needs no secret; the profile's auth is then an empty password.
   */
  withoutSecrets?: boolean;
}

/** Reads a publishing profile (YAML) and validates it; throws a `DataSyncError` naming each problem. */
export function loadProfile(file: string, options: ProfileOptions = {}): PublishingProfile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw unreadableFile(error, file, 'profile');
  }
  return parseProfile(text, file, { baseDir: dirname(file), ...options });
}

/** Validates the profile whole: unknown keys and bad values all at once, with line numbers. */
export function parseProfile(text: string, source: string, options: ProfileOptions = {}): PublishingProfile {
  const result = validateYaml(text, profileSchema, crossCheck);
  if (!result.ok) throw invalid(source, result.problems);
  const p = result.data;
  const base = options.baseDir ?? process.cwd();
  const path = (f: string): string => (isAbsolute(f) ? f : resolve(base, f));
  const problems: string[] = [];
  let auth: PublishingProfile['sftp']['auth'] | undefined;
  const readSecret = (what: string, file: string): string | undefined => {
    try {
      return readFileSync(path(file), 'utf8');
    } catch (error) {
      problems.push(
        `sftp.${what}: cannot read ${file} (${error instanceof Error ? error.message : String(error)})`,
      );
      return undefined;
    }
  };
  if (options.withoutSecrets) {
    auth = { password: '' };
  } else if (p.sftp.passwordEnv) {
    const value = options.env?.[p.sftp.passwordEnv];
    if (value) auth = { password: value };
    else problems.push(`sftp.passwordEnv: ${p.sftp.passwordEnv} is not set in the environment`);
  } else if (p.sftp.passwordFile) {
    const value = readSecret('passwordFile', p.sftp.passwordFile)?.replace(/\r?\n$/, '');
    if (value !== undefined) auth = { password: value };
  } else if (p.sftp.privateKeyFile) {
    const value = readSecret('privateKeyFile', p.sftp.privateKeyFile);
    if (value !== undefined) auth = { privateKey: value };
  }
  if (problems.length > 0 || !auth) throw invalid(source, problems);
  const hostKey = p.sftp.hostKey ?? { fingerprint: '' };
  return {
    name: p.name,
    symbol: p.symbol,
    encodedSymbol: encodeSymbol(p.symbol).toLowerCase(),
    collectionId: p.collectionId,
    kind: p.kind,
    label: p.label,
    sftp: {
      host: p.sftp.host,
      port: p.sftp.port,
      subDirectory: p.sftp.subDirectory ?? `metacoll/in/${p.kind}`,
      user: p.sftp.user ?? accountNamesFor(p.symbol).current,
      auth,
      hostKey: 'knownHosts' in hostKey ? { knownHosts: path(hostKey.knownHosts) } : hostKey,
      retries: p.sftp.retries,
    },
    limits: {
      maxFileSize: p.limits.maxFileSize ?? Number.MAX_SAFE_INTEGER,
      maxRecordsPerFile: p.limits.maxRecordsPerFile ?? Number.MAX_SAFE_INTEGER,
    },
    stateDir: path(p.state),
  };
}

function crossCheck(raw: unknown): YamlProblem[] {
  const problems: YamlProblem[] = [];
  const sftp = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)['sftp'] : undefined;
  if (typeof sftp !== 'object' || sftp === null) return problems;
  const s = sftp as Record<string, unknown>;
  const auths = ['passwordEnv', 'passwordFile', 'privateKeyFile'].filter((k) => s[k] !== undefined);
  if (auths.length === 0) {
    problems.push({
      path: ['sftp'],
      message: 'give passwordEnv, passwordFile or privateKeyFile (passwords are never written in a profile)',
    });
  }
  if (auths.length > 1)
    problems.push({ path: ['sftp'], message: `give one of ${auths.join(', ')}, not several` });
  if (s['hostKey'] === undefined) {
    problems.push({
      path: ['sftp'],
      message:
        'hostKey is required: { fingerprint: "SHA256:…" } or { knownHosts: FILE } (or { acceptAny: true } to trust any key, for throwaway tests only)',
    });
  }
  if ('password' in s)
    problems.push({
      path: ['sftp', 'password'],
      message: 'passwords are never written in a profile; use passwordEnv or passwordFile',
    });
  return problems;
}

function invalid(source: string, problems: readonly string[]): DataSyncError {
  return new DataSyncError('CONFIG_INVALID', {
    source,
    problems: `${problems.length} problem(s)${problems.map((p) => `\n  - ${p}`).join('')}`,
  });
}
