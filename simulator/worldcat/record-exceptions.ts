import type { Db } from '../storage/open-database.ts';

/** A bib record that had an exception, as processing stored it (with details reports cannot carry). */
export interface ExceptionRow {
  offset: number;
  locator: string;
  lsn: string;
  incoming_ocn: string;
  worldcat_ocn: string;
  action: string;
  errors: string;
}

/** The records of one file that had exceptions, in file order. */
export function recordExceptions(db: Db, fileId: number): ExceptionRow[] {
  return db
    .prepare(
      'SELECT offset, locator, lsn, incoming_ocn, worldcat_ocn, action, errors FROM record_outcomes WHERE file_id = ? ORDER BY offset',
    )
    .all(fileId) as ExceptionRow[];
}
