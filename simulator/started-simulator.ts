import type { CollectionType } from './config/simulator-config.ts';
import type { Clock } from './clock/clock.ts';
import type { SimulatorConfig } from './config/simulator-config.ts';
import type { Ban, SimulatorEvents } from './events/simulator-events.ts';
import type { FaultRules } from './faults/fault-rules.ts';
import type { Journal } from './journal/journal.ts';
import type { SpaceUsage } from './intake/space-guard.ts';
import type { RecordOutcome } from './reports/file-outcomes.ts';
import type { WorldCatState } from './worldcat/worldcat-state.ts';
import type { MergeResult, StoredRecord } from './worldcat/worldcat-records.ts';
import type { OutputDelivery } from './output/index.ts';
import type { OutputFileRecord } from './storage/output-ledger.ts';
import type { MarcRecord } from '../oclc/marc/marc-record.ts';
import type { UploadFilter, UploadRecord } from './storage/upload-store.ts';
import type { FileStage } from './storage/file-stage-log.ts';
import type { InstanceMetrics } from './metrics/instance-metrics.ts';

/** A host key the SFTP server offers. */
export interface HostKeySummary {
  /** `ssh-rsa`, `ecdsa-sha2-nistp256` or `ssh-ed25519`. */
  type: string;
  /** `SHA256:…` as `ssh-keygen -l` prints it. */
  fingerprint: string;
  /** The known_hosts form: `type base64`. */
  publicKey: string;
}

/** The running simulator's status, as `status()` and `GET /api/health` give it. */
export interface SimulatorStatus {
  status: 'ok';
  sftp: { host: string; port: number; hostKeyFingerprint: string; hostKeys: HostKeySummary[] };
  fileNames: SimulatorConfig['fileNames'];
  processing: SimulatorConfig['processing'];
  clock: SimulatorConfig['clock'];
  pickupDelayMs: number;
  institutions: { symbol: string; accounts: string[]; collections: { id: string; type: CollectionType }[] }[];
  now: string;
}

/** The instance's namespaces (issue 26): isolated worlds on its SFTP server and admin port. */
export interface SimulatorNamespaces {
  /** Creates one from per-world config keys; answers its admin token. */
  create(name: string, config: unknown): Promise<{ name: string; token: string }>;
  list(): { name: string; createdAt: string }[];
  /** Ends its sessions and removes all its state and files; false if there is none. */
  delete(name: string): Promise<boolean>;
}

/** A running simulator; its type says it is running, and disposing it stops it. */
export interface StartedSimulator extends AsyncDisposable {
  readonly config: SimulatorConfig;
  readonly sftp: {
    readonly host: string;
    readonly port: number;
    /** The Ed25519 key's (or the configured key's) fingerprint, as before other types came. */
    readonly hostKeyFingerprint: string;
    readonly hostPublicKey: string;
    /** Every host key offered (RSA, ECDSA and Ed25519 in the openssh-7.4 personality). */
    readonly hostKeys: readonly HostKeySummary[];
    /** Replaces every host key; clients pinning an old one must refuse to connect. */
    rotateHostKey(): { fingerprint: string; publicKey: string; hostKeys: HostKeySummary[] };
  };
  /** Fault rules applied at the SFTP edge and in processing (POST /api/faults, config `faults:`). */
  readonly faults: FaultRules;
  readonly admin: { readonly host: string; readonly port: number };
  readonly adminUrl: string;
  readonly clock: Clock;
  readonly events: SimulatorEvents;
  readonly journal: Journal;
  readonly files: {
    list(filter?: UploadFilter): UploadRecord[];
    find(id: number): UploadRecord | undefined;
    /** Every replica's uploads (a PostgreSQL store, D106); with SQLite the same as `list`. */
    listAll(filter?: UploadFilter): Promise<UploadRecord[]>;
    /** An upload received by any replica; with SQLite the same as `find`. */
    findAny(id: number): Promise<UploadRecord | undefined>;
    /** Per-record outcomes of a processed file, in file order, a page at a time. */
    outcomes(
      id: number,
      page?: { offset?: number; limit?: number },
    ): Promise<{ total: number; outcomes: RecordOutcome[] }>;
    /** Every stage the upload reached, on the simulated and the wall clock, oldest first. */
    stages(id: number): FileStage[];
    /** Where one of a processed file's reports is on disk, if it is still there. */
    reportPath(id: number, report: string): Promise<string | undefined>;
  };
  /** Where state lives; `refresh` brings this replica's WorldCat up to the shared store's. */
  readonly store: { readonly kind: 'sqlite' | 'postgres'; refresh(): Promise<void> };
  /** Holdings and per-record outcomes of the simulated WorldCat. */
  readonly worldcat: WorldCatState;
  /** Record output: deliver now, list delivered files, wait for deliveries in progress. */
  readonly output: {
    deliver(filter?: {
      symbol?: string | undefined;
      collectionId?: string | undefined;
    }): Promise<OutputDelivery[]>;
    files(filter?: { symbol?: string | undefined; includeRemoved?: boolean }): Promise<OutputFileRecord[]>;
    idle(): Promise<void>;
  };
  /** WorldCat's records: read, edit (`PATCH /api/worldcat/records/{ocn}`) and merge. */
  readonly records: {
    get(ocn: string): StoredRecord | undefined;
    edit(ocn: string, record: MarcRecord): Promise<StoredRecord>;
    merge(from: string, to: string): Promise<MergeResult>;
  };
  /** The WorldCat Metadata API mock on the admin port: end its tokens on demand. */
  readonly metadataApi: {
    /** Ends every live token (or one key's); returns how many were alive. */
    expireTokens(filter?: { key?: string }): number;
  };
  /** Addresses the defender bans after repeated failed logins; `unban` lifts one. */
  readonly defender: { list(): Ban[]; unban(address: string): boolean };
  /** Bytes an institution's account holds against its quota (statvfs answers show the same). */
  space(symbol: string): SpaceUsage;
  /**
   * Uploads bytes as the institution's own account would over SFTP (same name rules, pickup and
   * events), into in/bib or in/lhr as the name's collection ID says; a refused name throws
   * FILE_NAME_REJECTED with the rule's message.
   */
  upload(symbol: string, name: string, data: Buffer): Promise<UploadRecord>;
  /** `run()` processes every queued file now, whatever the processing mode. */
  readonly processing: { run(): Promise<UploadRecord[]> };
  status(): SimulatorStatus;
  /** Prometheus metrics (GET /metrics): `scrape()` gives the text exposition. */
  readonly metrics: Pick<InstanceMetrics, 'scrape' | 'apiRequest'>;
  /** Namespaces: `POST`/`GET /api/namespaces`, `DELETE /api/namespaces/{name}`. */
  readonly namespaces: SimulatorNamespaces;
  /** Forgets files, holdings, LHRs, reports and the journal; keeps config, host key and ports. */
  reset(): Promise<void>;
  waitFor: SimulatorEvents['waitFor'];
  stop(): Promise<void>;
}
