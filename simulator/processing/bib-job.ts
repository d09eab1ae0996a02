import type { BlockableSeverity } from '../../oclc/datasync/collection-settings.ts';
import type { OcnSource } from '../../oclc/datasync/ocn.ts';
import type { JobBase } from './lhr-job.ts';

/** Everything the worker needs to process one bib file. */
export interface BibJob extends JobBase {
  kind: 'bib';
  /** The real symbol whose holdings change. */
  targetSymbol: string;
  /** Symbols a key list's Library Code may name: the sender and those it uploads for (real spelling). */
  allowedSymbols: string[];
  collection: {
    id: string;
    type: 'bib' | 'delete-holdings';
    ocnField: OcnSource;
    lsnField: readonly string[];
    validationBlock: readonly BlockableSeverity[];
    holdings: 'set' | 'none';
  };
  worldcat: {
    merged: Record<string, string>;
    deleted: string[];
    newOcnStart: number;
    provisionalOcnStart: number;
  };
}
