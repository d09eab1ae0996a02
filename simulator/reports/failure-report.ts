import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exceptionLine, recordLocator, reportFileName } from '../../oclc/reports/bib-report-lines.ts';
import { lhrExceptionLine } from '../../oclc/reports/lhr-report-lines.ts';
import { deliverReports } from './deliver-reports.ts';

/** What a failure report needs to know of the file (both job kinds have it). */
export interface FailedFile {
  fileId: number;
  kind: 'bib' | 'lhr';
  name: string;
  senderSymbol: string;
  targetEncoded: string;
  receivedAt: number;
  reportDirs: string[];
  collection: { id: string };
}

/**
 * A file whose processing failed as a whole (a fault rule's `fail`, `processing.maxFileTime`) still
 * gets an exception report, as OCLC answers every file: one Processing Error row saying why. The
 * row's locator points at the start of the file. Returns the report's name.
 */
export function deliverFailureReport(file: FailedFile, reason: string, workDir: string): string[] {
  const kind = file.kind === 'lhr' ? 'LHR' : 'BIB';
  const report = file.kind === 'lhr' ? 'LhrExceptionReport' : 'BibExceptionReport';
  const locator = recordLocator(file.senderSymbol, file.collection.id, file.receivedAt, 0, file.kind);
  const row =
    file.kind === 'lhr'
      ? lhrExceptionLine({
          locator,
          lsn: '',
          ocn: '',
          library: '',
          type: 'Processing Error',
          severity: '',
          message: reason,
        })
      : exceptionLine({
          locator,
          lsn: '',
          incomingOcn: '',
          worldcatOcn: '',
          type: 'Processing Error',
          severity: '',
          message: reason,
        });
  const name = reportFileName({
    senderSymbol: file.senderSymbol,
    collectionSymbol: file.targetEncoded,
    collectionId: file.collection.id,
    kind,
    receivedAt: file.receivedAt,
    originalName: file.name,
    report,
  });
  const dir = join(workDir, `failed-${file.fileId}`);
  mkdirSync(dir, { recursive: true });
  try {
    writeFileSync(join(dir, name), `${row}\n`);
    return deliverReports(dir, file.reportDirs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
