import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Db } from '../storage/open-database.ts';
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

interface ExceptionRow {
  offset: number;
  locator: string;
  lsn: string;
  incoming_ocn: string;
  worldcat_ocn: string;
  action: string;
  errors: string;
}

/**
 * Per-record outcomes of a processed file, in file order. The BibProcessingReport is the record
 * of every readable record; the database keeps only records with exceptions (and data-error
 * details the report cannot carry), so a million-record file costs no million-row table.
 */
export async function fileOutcomes(
  db: Db,
  file: UploadRecord,
  reportsDir: string,
  page: { offset: number; limit: number },
): Promise<{ total: number; outcomes: RecordOutcome[] }> {
  const total = file.summary?.records ?? 0;
  const exceptionRows = db
    .prepare(
      'SELECT offset, locator, lsn, incoming_ocn, worldcat_ocn, action, errors FROM record_outcomes WHERE file_id = ? ORDER BY offset',
    )
    .all(file.id) as ExceptionRow[];
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
      const [locator = '', lsn = '', incomingOcn = '', worldcatOcn = '', action = ''] = line.split('|');
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
