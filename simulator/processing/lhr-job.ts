import type { LhrTranslationRule } from '../../oclc/datasync/collection-settings.ts';
import type { LhrOcnSource } from '../../oclc/datasync/read-lhr.ts';

/** What every processing job carries; plain data, so it crosses threads. */
export interface JobBase {
  fileId: number;
  dataDir: string;
  storedPath: string;
  name: string;
  /** Encoded symbols as they appear in report names and locators. */
  senderSymbol: string;
  targetEncoded: string;
  receivedAt: number;
  reportDirs: string[];
  /** False when the data dir is thrown away at stop (a test's): the commit skips the disk sync. */
  durable: boolean;
}

/** Everything the worker needs to process one LHR file. */
export interface LhrJob extends JobBase {
  kind: 'lhr';
  /** Symbols 852 $a may name: the uploading institution and those it uploads for (real spelling). */
  allowedSymbols: string[];
  collection: {
    id: string;
    type: 'lhr' | 'delete-lhr';
    ocnField: LhrOcnSource;
    translation: readonly LhrTranslationRule[];
  };
}
