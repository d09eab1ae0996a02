import type { LhrOcnSource } from '../../oclc/datasync/read-lhr.ts';

/** Everything the worker needs to process one LHR file; plain data, so it crosses threads. */
export interface LhrJob {
  kind: 'lhr';
  fileId: number;
  dataDir: string;
  storedPath: string;
  name: string;
  senderSymbol: string;
  targetEncoded: string;
  /** Symbols 852 $a may name: the uploading institution and those it uploads for (real spelling). */
  allowedSymbols: string[];
  collection: { id: string; type: 'lhr' | 'delete-lhr'; ocnField: LhrOcnSource };
  receivedAt: number;
  processedAt: number;
  reportDirs: string[];
}
