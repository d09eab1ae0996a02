import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseReportLine } from '../../oclc/reports/parse-report.ts';
import type { Db } from '../storage/open-database.ts';
import { recordExceptions, type ExceptionRow } from '../worldcat/record-exceptions.ts';
import type { UploadRecord } from '../storage/upload-store.ts';

export interface RecordOutcome {
  offset: number;
  locator: string;
  lsn: string;
  incomingOcn: string;
  worldcatOcn: string;
  action: string;
  errors: { type: string; severity: string; message: string; detail?: string }[];
}

/**
 * Per-record outcomes of a processed file, in file order, read back from the reports the file got
 * (parsed by oclc/reports, where the format lives). The BibProcessingReport is the record of every
 * readable bib record; the database keeps only records with exceptions (and data-error details the
 * report cannot carry), so a million-record file costs no million-row table.
 */
export async function fileOutcomes(
  db: Db,
  file: UploadRecord,
  reportsDir: string,
  page: { offset: number; limit: number },
): Promise<{ total: number; outcomes: RecordOutcome[] }> {
  return file.kind === 'lhr' ? lhrOutcomes(file, reportsDir, page) : bibOutcomes(db, file, reportsDir, page);
}

async function bibOutcomes(
  db: Db,
  file: UploadRecord,
  reportsDir: string,
  page: { offset: number; limit: number },
): Promise<{ total: number; outcomes: RecordOutcome[] }> {
  const total = file.summary?.records ?? 0;
  const exceptionRows = recordExceptions(db, file.id);
  const exceptions = new Map(exceptionRows.map((r) => [r.offset, r]));
  const dataErrors = exceptionRows.filter((r) => r.action === 'data error');
  const outcomes: RecordOutcome[] = [];
  let index = 0;
  const take = (outcome: RecordOutcome): boolean => {
    if (index++ >= page.offset) outcomes.push(outcome);
    return outcomes.length >= page.limit;
  };
  let nextError = 0;
  const report = file.summary?.reports.find((name) => name.endsWith('.BibProcessingReport.txt'));
  const path = report ? join(reportsDir, report) : undefined;
  if (path && existsSync(path)) {
    const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
    for await (const line of lines) {
      if (!line) continue;
      const { locator, lsn, incomingOcn, worldcatOcn, action } = parseReportLine('BibProcessingReport', line);
      const offset = Number(locator.split('::').pop());
      let full = false;
      while (!full && nextError < dataErrors.length && (dataErrors[nextError]?.offset ?? Infinity) < offset) {
        full = take(fromRow(dataErrors[nextError++] as ExceptionRow));
      }
      if (
        full ||
        take({
          offset,
          locator,
          lsn,
          incomingOcn,
          worldcatOcn,
          action,
          errors: parse(exceptions.get(offset)?.errors),
        })
      ) {
        lines.close();
        return { total, outcomes };
      }
    }
  }
  while (nextError < dataErrors.length && !take(fromRow(dataErrors[nextError++] as ExceptionRow)));
  return { total, outcomes };
}

function fromRow(row: ExceptionRow): RecordOutcome {
  return {
    offset: row.offset,
    locator: row.locator,
    lsn: row.lsn,
    incomingOcn: row.incoming_ocn,
    worldcatOcn: row.worldcat_ocn,
    action: row.action,
    errors: parse(row.errors),
  };
}

function parse(errors: string | undefined): RecordOutcome['errors'] {
  return errors ? (JSON.parse(errors) as RecordOutcome['errors']) : [];
}

/**
 * LHR files: a processing row per record applied (create, replace, delete), an exception row per
 * record refused or noted. Rows for LHRs removed by replace-all are not records of this file.
 */
async function lhrOutcomes(
  file: UploadRecord,
  reportsDir: string,
  page: { offset: number; limit: number },
): Promise<{ total: number; outcomes: RecordOutcome[] }> {
  const byOffset = new Map<number, RecordOutcome>();
  const errorsAt = new Map<number, RecordOutcome['errors']>();
  const outcome = (locator: string, lsn: string, ocn: string, action: string): RecordOutcome => ({
    offset: offsetOf(locator),
    locator,
    lsn,
    incomingOcn: ocn,
    worldcatOcn: ocn,
    action,
    errors: [],
  });
  for await (const line of reportLines(file, reportsDir, '.LhrExceptionReport.txt')) {
    const row = parseReportLine('LhrExceptionReport', line);
    const offset = offsetOf(row.locator);
    const errors = errorsAt.get(offset) ?? [];
    errors.push({ type: row.type, severity: row.severity, message: row.message });
    errorsAt.set(offset, errors);
    if (!byOffset.has(offset))
      byOffset.set(offset, outcome(row.locator, row.lsn, row.ocn, row.type.toLowerCase()));
  }
  for await (const line of reportLines(file, reportsDir, '.LhrProcessingReport.txt')) {
    const row = parseReportLine('LhrProcessingReport', line);
    if (row.action === 'removed-by-replace') continue;
    byOffset.set(offsetOf(row.locator), outcome(row.locator, row.lsn, row.ocn, row.action));
  }
  const all = [...byOffset.values()].sort((a, b) => a.offset - b.offset);
  for (const o of all) o.errors = errorsAt.get(o.offset) ?? [];
  return {
    total: file.summary?.records ?? all.length,
    outcomes: all.slice(page.offset, page.offset + page.limit),
  };
}

async function* reportLines(file: UploadRecord, reportsDir: string, suffix: string): AsyncGenerator<string> {
  const report = file.summary?.reports.find((name) => name.endsWith(suffix));
  const path = report ? join(reportsDir, report) : undefined;
  if (!path || !existsSync(path)) return;
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    if (line) yield line;
  }
}

const offsetOf = (locator: string): number => Number(locator.split('::').pop());
