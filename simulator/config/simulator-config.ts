import {
  DEFAULT_BLOCK,
  type BlockableSeverity,
  type LhrTranslationRule,
} from '../../oclc/datasync/collection-settings.ts';
import type { OutputSettings } from '../../oclc/datasync/output-settings.ts';
import { DataSyncError } from '../../oclc/error-catalogue.ts';
import { accountNamesFor, encodeSymbol } from '../../oclc/symbol-encoding.ts';
import type { FaultRule } from './fault-rule-schema.ts';
import type { SftpPersonalityName } from './personality-names.ts';

/** The kind of a collection: bibliographic, local holdings, or deletions of either. */
export type CollectionType = 'bib' | 'lhr' | 'delete-holdings' | 'delete-lhr';

/** A Data Sync collection of an institution: its 7-digit ID, type and processing settings. */
export interface Collection {
  readonly id: string;
  readonly type: CollectionType;
  readonly default: boolean;
  readonly ocnField: '035' | '001' | 'any' | 'none' | '004' | '014';
  readonly lsnField: readonly string[];
  /** Record output; undefined (or enabled: false) means none, as OCLC's default. */
  readonly output?: OutputSettings | undefined;
  /** Validation severities that keep a bib record out of WorldCat (OCLC's default: critical). */
  readonly validation: { readonly block: readonly BlockableSeverity[] };
  /** `none`: a bib collection that matches and creates records but sets no holdings. */
  readonly holdings: 'set' | 'none';
  /** An LHR collection's 852 translation table; empty: the 852 as sent. */
  readonly lhr: { readonly translation: readonly LhrTranslationRule[] };
}

/** A collection as written, its settings optional (they have OCLC's defaults). */
export type CollectionInput = Omit<Collection, 'ocnField' | 'validation' | 'holdings' | 'lhr'> &
  Partial<Pick<Collection, 'ocnField' | 'validation' | 'holdings' | 'lhr'>>;

export interface WorldCatConfig {
  readonly merged: Readonly<Record<string, string>>;
  readonly deleted: readonly string[];
  /** Absolute paths of MARC files for the full match. */
  readonly records: readonly string[];
  readonly newOcnStart: number;
  readonly provisionalOcnStart: number;
}

/** A Metadata API key (config `institutions[].wskeys`). */
export interface WsKey {
  readonly key: string;
  readonly secret: string;
  readonly scopes: readonly string[];
  readonly rateLimit?:
    { readonly perSecond?: number | undefined; readonly perDay?: number | undefined } | undefined;
}

/** An institution the simulator serves: its symbol, SFTP accounts and collections. */
export interface Institution {
  /** The real symbol, as OCLC spells it (may contain `@ $ #`). */
  readonly symbol: string;
  /** The symbol with `@ $ #` written _64 _36 _35, as it appears in names and folders. */
  readonly encodedSymbol: string;
  readonly accounts: { readonly current: string; readonly legacy: string };
  readonly password: string | undefined;
  readonly publicKeys: readonly string[];
  readonly uploadsFor: readonly string[];
  readonly collections: readonly Collection[];
  readonly defaultCollection: Collection;
  /** Bytes the account may hold in its upload folders and the queue; undefined for no limit. */
  readonly quota: number | undefined;
  /** Metadata API keys of the institution; a token made with one acts for this symbol. */
  readonly wskeys: readonly WsKey[];
}

/** When uploads are processed: at once, on a schedule, or only when asked. */
export type ProcessingMode =
  | { readonly mode: 'immediate' }
  | { readonly mode: 'manual' }
  | { readonly mode: 'delay'; readonly delayMs: number };

export interface DefenderConfig {
  readonly threshold: number;
  readonly windowMs: number;
  readonly banMs: number;
}

/** A webhook (config `notifications.webhooks`). */
export interface WebhookConfig {
  readonly url: string;
  /** Event names (`outbox:*` for a family); undefined: every event. */
  readonly events?: readonly string[] | undefined;
  readonly secret: string;
}

/** A validated configuration, as `defineConfig` and `loadConfigFile` return it. */
export interface SimulatorConfig {
  readonly dataDir: string;
  readonly sftp: {
    readonly host: string;
    readonly port: number;
    readonly hostKeyFile?: string;
    readonly personality: SftpPersonalityName;
    readonly loginGraceTimeMs: number;
    readonly maxAuthTries: number;
    readonly maxConnections: number;
    /** Connections from one address not yet logged in (`sftp.maxStartupsPerAddress`). */
    readonly maxStartupsPerAddress: number;
    /** Connections start with a PROXY protocol header naming the client (`sftp.proxyProtocol`). */
    readonly proxyProtocol: boolean;
    /** Files and folders one SFTP session may hold open (`sftp.maxHandles`). */
    readonly maxHandles: number;
    /** Bytes: no WRITE may end, and no READ start, past this (`sftp.maxFileSize`). */
    readonly maxFileSize: number;
    readonly maxSessionsPerAccount: number;
    readonly idleTimeoutMs: number;
    /** false when turned off. */
    readonly defender: DefenderConfig | false;
  };
  readonly journal: { readonly maxEntries: number };
  /** Absent: SQLite in the data dir (the default). A URL: shared state in PostgreSQL (D105). */
  /** leaseMs: a replica's claim on a queued file outlives its last heartbeat this long (wall clock). */
  readonly store?: { readonly url: string; readonly replica: string; readonly leaseMs: number };
  readonly admin: {
    readonly host: string;
    readonly port: number;
    /** When set, every admin route but GET /api/health needs `Authorization: Bearer <token>`. */
    readonly token: string | undefined;
    /** Host header names accepted besides loopback names, IP addresses and `host`. */
    readonly hostNames: readonly string[];
  };
  /** Bytes of free disk below which new uploads are refused; 0 turns the guard off. */
  readonly minFreeSpace: number;
  readonly fileNames: 'strict' | 'faithful';
  readonly pickupDelayMs: number;
  /** retention.uploads: stored copies of finished uploads are deleted this long after processing. */
  readonly retentionMs: number;
  readonly processing: ProcessingMode;
  /** processing.maxFileTime: a file still processing after this fails, and the next one starts. */
  readonly maxFileTimeMs: number;
  readonly clock: 'system' | 'manual';
  readonly worldcat: WorldCatConfig;
  readonly institutions: readonly Institution[];
  readonly faults: readonly FaultRule[];
  readonly notifications: {
    readonly webhooks: readonly WebhookConfig[];
    readonly retry: { readonly attempts: number; readonly backoffMs: number };
  };
}

export function makeInstitution(input: {
  symbol: string;
  password: string | undefined;
  publicKeys: readonly string[];
  uploadsFor: readonly string[];
  collections: readonly CollectionInput[];
  quota?: number | undefined;
  wskeys?: readonly WsKey[] | undefined;
}): Institution {
  const collections: Collection[] = input.collections.map((c) => ({
    ...c,
    ocnField: c.ocnField ?? (c.type === 'lhr' || c.type === 'delete-lhr' ? '004' : 'any'),
    validation: c.validation ?? { block: DEFAULT_BLOCK },
    holdings: c.holdings ?? 'set',
    lhr: c.lhr ?? { translation: [] },
  }));
  const first = collections[0];
  if (!first)
    throw new DataSyncError('CONFIG_INVALID', {
      source: 'configuration',
      problems: `institutions ${input.symbol}: collections: give at least one collection`,
    });
  // Without an explicit default, OCLC's "default collection" is the first one configured.
  const defaultCollection = collections.find((c) => c.default) ?? first;
  return {
    symbol: input.symbol,
    encodedSymbol: encodeSymbol(input.symbol),
    accounts: accountNamesFor(input.symbol),
    password: input.password,
    publicKeys: input.publicKeys,
    uploadsFor: input.uploadsFor,
    collections,
    defaultCollection,
    quota: input.quota,
    wskeys: input.wskeys ?? [],
  };
}
