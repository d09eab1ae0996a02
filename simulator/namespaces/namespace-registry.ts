import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSyncError } from '../../oclc/error-catalogue.ts';

/** A namespace as created: enough to open it again after a restart. */
export interface NamespaceDefinition {
  readonly name: string;
  /** Its admin token, kept like the host keys: in the data dir, readable by the owner alone. */
  readonly token: string;
  /** The per-world config as it was posted. */
  readonly config: unknown;
  readonly createdAt: string;
}

/**
 * The namespaces of an instance, in one JSON file in its data dir (`namespaces/namespaces.json`).
 * Written whole through a temporary file and a rename, so a crash leaves the old list or the new.
 */
export class NamespaceRegistry {
  readonly #file: string;

  constructor(file: string) {
    this.#file = file;
  }

  load(): NamespaceDefinition[] {
    let text: string;
    try {
      text = readFileSync(this.#file, 'utf8');
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ENOENT') return [];
      throw unreadable(this.#file, error);
    }
    try {
      const parsed = JSON.parse(text) as { namespaces?: NamespaceDefinition[] };
      return parsed.namespaces ?? [];
    } catch (error) {
      throw unreadable(this.#file, error);
    }
  }

  save(namespaces: readonly NamespaceDefinition[]): void {
    const temporary = `${this.#file}.tmp`;
    try {
      mkdirSync(dirname(this.#file), { recursive: true });
      writeFileSync(temporary, `${JSON.stringify({ namespaces }, null, 2)}\n`, { mode: 0o600 });
      renameSync(temporary, this.#file);
    } catch (error) {
      throw new DataSyncError(
        'STATE_WRITE_FAILED',
        {
          action: 'save the list of namespaces',
          reason: String((error as { code?: unknown }).code ?? 'unknown'),
        },
        { cause: error },
      );
    }
  }
}

function unreadable(file: string, error: unknown): DataSyncError {
  return new DataSyncError(
    'STATE_UNREADABLE',
    { file, reason: `the list of namespaces cannot be read (${(error as Error).message})` },
    { cause: error },
  );
}
