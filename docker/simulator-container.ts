import { randomBytes } from 'node:crypto';
import { AbstractStartedContainer, GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import { parse, stringify } from 'yaml';
// Leaf modules, not the package entry: a container user needs no SQLite, SSH or native module.
import { AdminClient } from '../scenarios/admin-client.ts';
import { DataSyncError } from '../oclc/error-catalogue.ts';
import { accountNamesFor, encodeSymbol } from '../oclc/symbol-encoding.ts';
import type { PublishingProfile } from '../index.ts';

/** The SFTP port inside the container. */
export const SFTP_PORT = 2222;
/** The admin API's port inside the container. */
export const ADMIN_PORT = 8080;
const CONFIG_PATH = '/etc/datasync-sim/config.yaml';

/** An institution for `SimulatorContainer.withInstitution`: symbol, password, collections, public keys. */
export interface InstitutionOptions {
  symbol: string;
  password: string;
  collections?: { id: string; type: 'bib' | 'lhr' | 'delete-holdings' | 'delete-lhr'; default?: boolean }[];
  uploadsFor?: string[];
  /** OpenSSH public key lines (`ssh-ed25519 AAAA… me@host`) this institution may log in with. */
  publicKeys?: string[];
}

/**
 * The simulator in a container, in the shape of the official testcontainers modules: builder
 * `withX()` methods validated at once, defaults in the constructor, and `start()` returning a
 * started object with getters and a typed admin client.
 */
export class SimulatorContainer extends GenericContainer {
  #institutions: InstitutionOptions[] = [];
  #yaml: string | undefined;
  #processing = 'immediate';
  #fileNames: 'strict' | 'faithful' = 'strict';
  #pickupDelay = '0s';
  #clock: 'system' | 'manual' = 'system';
  #adminToken = randomBytes(24).toString('base64url');

  constructor(image = 'datasync-sim:latest') {
    super(image);
    this.withExposedPorts(SFTP_PORT, ADMIN_PORT)
      .withWaitStrategy(Wait.forHttp('/api/health', ADMIN_PORT).forStatusCode(200))
      .withStartupTimeout(60_000);
  }

  withInstitution(institution: InstitutionOptions): this {
    if (!/^[A-Za-z0-9@$#]+$/.test(institution.symbol))
      throw invalid(`symbol "${institution.symbol}" has characters other than letters, digits and @ $ #`);
    if (!institution.password) throw invalid(`institution ${institution.symbol} needs a password`);
    for (const c of institution.collections ?? [])
      if (!/^\d{7}$/.test(c.id)) throw invalid(`collection ID "${c.id}" is not 7 digits`);
    this.#institutions.push(institution);
    return this;
  }

  /** A whole simulator configuration (YAML); institutions added with withInstitution are ignored. */
  withConfig(yaml: string): this {
    const parsed = parse(yaml) as { institutions?: InstitutionOptions[] } | null;
    if (!parsed?.institutions?.length) throw invalid('the configuration has no institutions');
    this.#yaml = yaml;
    this.#institutions = parsed.institutions;
    return this;
  }

  withProcessing(mode: string): this {
    if (!/^(immediate|manual|delay[\s:]+\S+)$/.test(mode))
      throw invalid(`processing "${mode}" is not immediate, manual or "delay 4h"`);
    this.#processing = mode;
    return this;
  }

  /** The admin API token (DATASYNC_ADMIN_TOKEN); a random one is made when not given. */
  withAdminToken(token: string): this {
    if (token.length < 16) throw invalid('an admin token has at least 16 characters');
    this.#adminToken = token;
    return this;
  }

  withFileNames(mode: 'strict' | 'faithful'): this {
    if (mode !== 'strict' && mode !== 'faithful')
      throw invalid(`fileNames "${String(mode)}" is not strict or faithful`);
    this.#fileNames = mode;
    return this;
  }

  /** How long a finished upload stays visible in in/ (for clients that stat after uploading). */
  withPickupDelay(duration: string): this {
    if (!/^(\d+(ms|s|m|h))+$/.test(duration))
      throw invalid(`pickupDelay "${duration}" is not a duration like 30s, 5m or 1h30m`);
    this.#pickupDelay = duration;
    return this;
  }

  /** `manual`: time moves only through the admin API (admin.advanceClock), as scenarios step it. */
  withClock(mode: 'system' | 'manual'): this {
    if (mode !== 'system' && mode !== 'manual')
      throw invalid(`clock "${String(mode)}" is not system or manual`);
    this.#clock = mode;
    return this;
  }

  /** The configuration the container is started with (withConfig's text, or one built from the withX calls). */
  configYaml(): string {
    if (this.#yaml) return this.#yaml;
    const institutions = this.#startedInstitutions();
    return stringify({
      fileNames: this.#fileNames,
      processing: this.#processing,
      pickupDelay: this.#pickupDelay,
      clock: this.#clock,
      institutions: institutions.map((i) => ({
        symbol: i.symbol,
        password: i.password,
        publicKeys: i.publicKeys ?? [],
        uploadsFor: i.uploadsFor ?? [],
        collections: i.collections ?? [
          { id: '1234567', type: 'bib', default: true },
          { id: '7654321', type: 'lhr' },
        ],
      })),
    });
  }

  #startedInstitutions(): InstitutionOptions[] {
    return this.#institutions.length > 0 ? this.#institutions : [{ symbol: 'PUL', password: 'pul-secret' }];
  }

  override async start(): Promise<StartedSimulatorContainer> {
    const yaml = this.configYaml();
    this.withCopyContentToContainer([{ content: yaml, target: CONFIG_PATH, mode: 0o644 }])
      .withEnvironment({ DATASYNC_ADMIN_TOKEN: this.#adminToken })
      .withCommand(['serve', '--config', CONFIG_PATH]);
    const started = await super.start();
    const admin = new AdminClient(`http://${started.getHost()}:${started.getMappedPort(ADMIN_PORT)}`, {
      token: this.#adminToken,
    });
    const health = await admin.health();
    return new StartedSimulatorContainer(started, {
      fingerprint: health.sftp.hostKeyFingerprint,
      institutions: this.#startedInstitutions(),
      adminToken: this.#adminToken,
    });
  }
}

/** A started `SimulatorContainer`: its mapped ports, admin URL, host key and a typed admin client. */
export class StartedSimulatorContainer extends AbstractStartedContainer {
  readonly #fingerprint: string;
  readonly #institutions: InstitutionOptions[];
  readonly #adminToken: string;

  constructor(
    started: StartedTestContainer,
    details: { fingerprint: string; institutions: InstitutionOptions[]; adminToken: string },
  ) {
    super(started);
    this.#fingerprint = details.fingerprint;
    this.#institutions = details.institutions;
    this.#adminToken = details.adminToken;
  }

  /** Files, holdings, LHRs, process now, reset: the admin API, typed (follows port changes after a restart). */
  get admin(): AdminClient {
    return new AdminClient(this.getAdminUrl(), { token: this.#adminToken });
  }

  /** The token the admin API wants as `Authorization: Bearer <token>`. */
  getAdminToken(): string {
    return this.#adminToken;
  }

  getSftpPort(): number {
    return this.getMappedPort(SFTP_PORT);
  }

  getAdminUrl(): string {
    return `http://${this.getHost()}:${this.getMappedPort(ADMIN_PORT)}`;
  }

  getHostKeyFingerprint(): string {
    return this.#fingerprint;
  }

  getCredentials(symbol: string): { user: string; legacyUser: string; password: string } {
    const institution = this.#find(symbol);
    const accounts = accountNamesFor(institution.symbol);
    return { user: accounts.current, legacyUser: accounts.legacy, password: institution.password };
  }

  /** A ready publishing profile for our client, pinned to the container's host key. */
  getProfile(
    symbol: string,
    options: { kind?: 'bib' | 'lhr'; collectionId?: string; stateDir: string; label?: string },
  ): PublishingProfile {
    const institution = this.#find(symbol);
    const kind = options.kind ?? 'bib';
    const collection =
      institution.collections?.find((c) => c.type === kind)?.id ?? (kind === 'lhr' ? '7654321' : '1234567');
    return {
      name: `${symbol} ${kind}`,
      symbol: institution.symbol,
      encodedSymbol: encodeSymbol(institution.symbol).toLowerCase(),
      collectionId: options.collectionId ?? collection,
      kind,
      label: options.label ?? (kind === 'lhr' ? 'lhr' : 'bibs'),
      sftp: {
        host: this.getHost(),
        port: this.getSftpPort(),
        subDirectory: `metacoll/in/${kind}`,
        user: accountNamesFor(institution.symbol).current,
        auth: { password: institution.password },
        hostKey: { fingerprint: this.#fingerprint },
        retries: 3,
      },
      limits: { maxFileSize: Number.MAX_SAFE_INTEGER, maxRecordsPerFile: Number.MAX_SAFE_INTEGER },
      stateDir: options.stateDir,
    };
  }

  #find(symbol: string): InstitutionOptions {
    const found = this.#institutions.find((i) => i.symbol.toLowerCase() === symbol.toLowerCase());
    if (!found)
      throw invalid(
        `no institution ${symbol}; the container has ${this.#institutions.map((i) => i.symbol).join(', ')}`,
      );
    return found;
  }
}

function invalid(reason: string): DataSyncError {
  return new DataSyncError('CONFIG_INVALID', { source: 'SimulatorContainer', problems: reason });
}
