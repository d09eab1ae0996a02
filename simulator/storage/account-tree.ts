import { mkdirSync } from 'node:fs';
import { posix, join } from 'node:path';
import { DataSyncError } from '../../oclc/error-catalogue.ts';
import type { Collection, Institution } from '../config/simulator-config.ts';
import { storageLayout } from './storage-layout.ts';

export const HOME = '/xfer';

export interface UploadTarget {
  institution: Institution;
  kind: 'bib' | 'lhr';
  /** Collections this folder accepts: bib folders take bib and delete-holdings, lhr the LHR types. */
  collections: readonly Collection[];
  defaultCollection: Collection | undefined;
}

export interface Folder {
  /** Canonical virtual path, e.g. /xfer/metacoll/in/bib. */
  path: string;
  /** Where its files live on disk; undefined for folders that only hold folders. */
  realPath: string | undefined;
  children: string[];
  upload: UploadTarget | undefined;
}

const OWN_FOLDERS = [
  'metacoll/in/bib',
  'metacoll/in/lhr',
  'metacoll/reports',
  'metacoll/out/ongoing/new',
  'metacoll/out/ongoing/updates',
  'metacoll/out/ongoing/deletes',
];

const BIB_TYPES = new Set(['bib', 'delete-holdings']);
const LHR_TYPES = new Set(['lhr', 'delete-lhr']);

/**
 * The chroot one account sees: a fixed tree whose root holds /xfer. Only leaf folders map to
 * real directories, so nothing outside the tree can be reached whatever the client sends.
 */
export class AccountTree {
  readonly institution: Institution;
  /** The account's directory on disk; virtual folders take their times from it. */
  readonly root: string;
  readonly #folders = new Map<string, Folder>();

  constructor(institution: Institution, institutions: readonly Institution[], dataDir: string) {
    this.institution = institution;
    const root = institutionRoot(dataDir, institution);
    this.root = root;
    for (const leaf of OWN_FOLDERS) {
      this.#addLeaf(`${HOME}/${leaf}`, join(root, leaf), uploadTarget(institution, leaf));
    }
    for (const symbol of institution.uploadsFor) {
      const other = institutions.find((i) => i.symbol.toLowerCase() === symbol.toLowerCase());
      if (!other) continue;
      for (const kind of ['bib', 'lhr'] as const) {
        const leaf = `metacoll/in/${kind}`;
        const path = `${HOME}/${other.encodedSymbol.toUpperCase()}/${leaf}`;
        this.#addLeaf(
          path,
          join(root, 'on-behalf', other.encodedSymbol.toLowerCase(), kind),
          uploadTarget(other, leaf),
        );
      }
    }
  }

  /** Every folder that holds files (not only folders), as the account sees it. */
  leafFolders(): string[] {
    return [...this.#folders.values()].filter((f) => f.realPath).map((f) => f.path);
  }

  /** Resolves a client path against /xfer the way a chroot does: `..` stops at the root. */
  resolve(clientPath: string, action: string): string {
    if (clientPath.includes('\0')) {
      throw new DataSyncError('PATH_INVALID', {
        action,
        path: clientPath.replace(/\0/g, '\\0'),
        reason: 'the path contains a NUL byte',
      });
    }
    const absolute = clientPath.startsWith('/') ? clientPath : posix.join(HOME, clientPath || '.');
    return posix.normalize(posix.resolve('/', absolute)).replace(/(.)\/$/, '$1');
  }

  folder(path: string): Folder | undefined {
    return this.#folders.get(path.toLowerCase());
  }

  /** The folder a file path would live in, and the file's name. */
  locate(path: string): { folder: Folder | undefined; name: string } {
    return { folder: this.folder(posix.dirname(path)), name: posix.basename(path) };
  }

  /** Creates the real directories of every leaf folder. */
  materialise(): void {
    for (const folder of this.#folders.values()) {
      if (folder.realPath) mkdirSync(folder.realPath, { recursive: true });
    }
  }

  #addLeaf(path: string, realPath: string, upload: UploadTarget | undefined): void {
    this.#folders.set(path.toLowerCase(), { path, realPath, children: [], upload });
    let child = path;
    for (let parent = posix.dirname(path); ; parent = posix.dirname(parent)) {
      const existing = this.#folders.get(parent.toLowerCase());
      const folder = existing ?? { path: parent, realPath: undefined, children: [], upload: undefined };
      const childName = posix.basename(child);
      if (!folder.children.includes(childName)) folder.children.push(childName);
      this.#folders.set(parent.toLowerCase(), folder);
      if (existing || parent === '/') break;
      child = parent;
    }
  }
}

export const institutionRoot = storageLayout.institutionRoot;
export const reportsFolder = storageLayout.reportsFolder;

function uploadTarget(institution: Institution, leaf: string): UploadTarget | undefined {
  const kind = leaf === 'metacoll/in/bib' ? 'bib' : leaf === 'metacoll/in/lhr' ? 'lhr' : undefined;
  if (!kind) return undefined;
  const types = kind === 'bib' ? BIB_TYPES : LHR_TYPES;
  const collections = institution.collections.filter((c) => types.has(c.type));
  const preferred = types.has(institution.defaultCollection.type) ? institution.defaultCollection : undefined;
  return { institution, kind, collections, defaultCollection: preferred ?? collections[0] };
}
