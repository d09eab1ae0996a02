import type { OcnSource } from '../../oclc/datasync/ocn.ts';

/** Everything the worker needs to process one bib file; plain data, so it crosses threads. */
export interface BibJob {
  kind: 'bib';
  fileId: number;
  dataDir: string;
  storedPath: string;
  name: string;
  /** Encoded symbols as they appear in report names and locators. */
  senderSymbol: string;
  targetEncoded: string;
  /** The real symbol whose holdings change. */
  targetSymbol: string;
  collection: {
    id: string;
    type: 'bib' | 'delete-holdings';
    ocnField: OcnSource;
    lsnField: readonly string[];
  };
  receivedAt: number;
  processedAt: number;
  reportDirs: string[];
  worldcat: {
    merged: Record<string, string>;
    deleted: string[];
    newOcnStart: number;
    provisionalOcnStart: number;
  };
}
