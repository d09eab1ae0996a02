import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DataSyncError } from '../oclc/error-catalogue.ts';
import { ManualClock, systemClock } from './clock/clock.ts';
import { namespaceConfig } from './config/namespace-config.ts';
import type { SimulatorConfig } from './config/simulator-config.ts';
import { NamespaceRegistry, type NamespaceDefinition } from './namespaces/namespace-registry.ts';
import { openWorld, type World } from './open-world.ts';

/** One namespace while the instance runs. */
export interface NamespaceWorld {
  readonly name: string;
  readonly token: string;
  readonly createdAt: string;
  readonly world: World;
}

export interface NamespaceWorldsOptions {
  /** The instance's config: listeners, limits and the data dir namespaces live under. */
  config: SimulatorConfig;
  /** Called once a namespace's world is open (metrics start watching it); returns what undoes it. */
  opened(namespace: NamespaceWorld): () => Promise<void>;
  /** Called before a deleted namespace's world closes: its SFTP sessions end here. */
  closing?(namespace: NamespaceWorld): Promise<void>;
}

/**
 * The namespaces of an instance (issue 26): each a world of its own in
 * `<dataDir>/namespaces/<name>/`, created and deleted over the admin API, its definition kept in
 * `namespaces/namespaces.json` so a restart opens it again.
 */
export class NamespaceWorlds {
  readonly #options: NamespaceWorldsOptions;
  readonly #registry: NamespaceRegistry;
  readonly #open = new Map<string, { namespace: NamespaceWorld; undo: () => Promise<void> }>();
  /** Names being created or deleted: a second request for one waits for nothing, it is refused. */
  readonly #busy = new Set<string>();

  constructor(options: NamespaceWorldsOptions) {
    this.#options = options;
    this.#registry = new NamespaceRegistry(join(this.#root, 'namespaces.json'));
  }

  get #root(): string {
    return join(this.#options.config.dataDir, 'namespaces');
  }

  /** Opens every namespace the registry holds (at start). */
  async openSaved(): Promise<void> {
    for (const definition of this.#registry.load()) await this.#openWorld(definition);
  }

  async create(name: string, input: unknown): Promise<{ name: string; token: string }> {
    if (this.#options.config.store)
      throw refused(
        'create',
        name,
        'namespaces need the embedded SQLite store for now (D145); this instance uses PostgreSQL',
      );
    if (this.#open.has(name) || this.#busy.has(name))
      throw refused('create', name, 'it exists; DELETE /api/namespaces/{name} removes it first');
    // Validated before anything is written, so a refused config leaves nothing behind.
    namespaceConfig(name, input, this.#options.config, this.#dir(name));
    this.#busy.add(name);
    try {
      const definition: NamespaceDefinition = {
        name,
        token: randomBytes(24).toString('base64url'),
        config: input,
        createdAt: new Date(systemClock.now()).toISOString(),
      };
      rmSync(this.#dir(name), { recursive: true, force: true });
      await this.#openWorld(definition);
      this.#save();
      return { name, token: definition.token };
    } finally {
      this.#busy.delete(name);
    }
  }

  get(name: string): NamespaceWorld | undefined {
    return this.#open.get(name)?.namespace;
  }

  list(): { name: string; createdAt: string }[] {
    return [...this.#open.values()].map(({ namespace: { name, createdAt } }) => ({ name, createdAt }));
  }

  /** Stops the namespace's world and removes all its state and files; false if there is none. */
  async delete(name: string): Promise<boolean> {
    const open = this.#open.get(name);
    if (!open || this.#busy.has(name)) return false;
    this.#busy.add(name);
    try {
      this.#open.delete(name);
      this.#save();
      await open.namespace.world.quiesce();
      await this.#options.closing?.(open.namespace);
      await open.undo();
      await open.namespace.world.close();
      rmSync(this.#dir(name), { recursive: true, force: true });
      return true;
    } finally {
      this.#busy.delete(name);
    }
  }

  all(): NamespaceWorld[] {
    return [...this.#open.values()].map((open) => open.namespace);
  }

  /** At the instance's stop: quiesce all first, so the SFTP server can close before any database. */
  async quiesceAll(): Promise<void> {
    await Promise.all(this.all().map((namespace) => namespace.world.quiesce()));
  }

  async closeAll(): Promise<void> {
    const open = [...this.#open.values()];
    this.#open.clear();
    for (const { namespace, undo } of open) {
      await undo();
      await namespace.world.close();
    }
  }

  async #openWorld(definition: NamespaceDefinition): Promise<void> {
    const { name } = definition;
    const config = namespaceConfig(name, definition.config, this.#options.config, this.#dir(name));
    const clock = config.clock === 'manual' ? new ManualClock(systemClock.now()) : systemClock;
    const world = await openWorld(config, clock);
    const namespace = { name, token: definition.token, createdAt: definition.createdAt, world };
    let undo: () => Promise<void>;
    try {
      undo = this.#options.opened(namespace);
    } catch (error) {
      // A public key the SFTP server cannot parse: refused like any config problem.
      await world.quiesce();
      await world.close();
      throw error;
    }
    this.#open.set(name, { namespace, undo });
    this.#definitions.set(name, definition);
  }

  readonly #definitions = new Map<string, NamespaceDefinition>();

  #save(): void {
    for (const name of this.#definitions.keys()) if (!this.#open.has(name)) this.#definitions.delete(name);
    this.#registry.save([...this.#definitions.values()]);
  }

  #dir(name: string): string {
    return join(this.#root, name);
  }
}

function refused(action: string, name: string, reason: string): DataSyncError {
  return new DataSyncError('NAMESPACE_REFUSED', { action, name, reason });
}
