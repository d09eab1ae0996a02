import { readFileSync } from 'node:fs';
import { DataSyncError } from '../oclc/error-catalogue.ts';
import { onUserPath } from '../oclc/file-system-error.ts';

/** Which records a write-back may change, by local system number (`--skip` / `--only`). */
export interface LsnFilter {
  /** Whether the record with this LSN may be changed. */
  allows(lsn: string): boolean;
  readonly skip: ReadonlySet<string> | undefined;
  readonly only: ReadonlySet<string> | undefined;
}

export interface LsnFilterFiles {
  /** A file of LSNs whose records are left as they are. */
  skip?: string;
  /** A file of LSNs: only their records are changed. */
  only?: string;
}

/**
 * The `--skip LSN-FILE` / `--only LSN-FILE` filter every write-back shares (reports and output
 * files). A record is changed when it is in `only` (if given) and not in `skip`; both may be given.
 */
export function readLsnFilter(files: LsnFilterFiles): LsnFilter {
  const skip = files.skip === undefined ? undefined : readLsnList(files.skip, '--skip');
  const only = files.only === undefined ? undefined : readLsnList(files.only, '--only');
  return {
    skip,
    only,
    allows: (lsn) => (only === undefined || only.has(lsn)) && !skip?.has(lsn),
  };
}

/** Lets every record through: a write-back without --skip or --only. */
export const ALL_RECORDS: LsnFilter = { skip: undefined, only: undefined, allows: () => true };

/**
 * One LSN a line. The first cell of a CSV or TAB line counts, so a list exported from a
 * spreadsheet, a cross-reference report or write-back's own exceptions CSV can be given as it is;
 * blank lines, `#` comments and a header cell named `lsn` (or `LSN`) are ignored.
 */
export function parseLsnList(text: string): Set<string> {
  const lsns = new Set<string>();
  for (const line of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const cell = (line.split(/[,\t]/)[0] ?? '').trim().replace(/^"(.*)"$/, '$1');
    if (cell === '' || cell.startsWith('#') || cell.toLowerCase() === 'lsn') continue;
    lsns.add(cell);
  }
  return lsns;
}

function readLsnList(path: string, flag: string): Set<string> {
  const text = onUserPath({ path, use: 'read', what: `${flag} list` }, () => readFileSync(path, 'utf8'));
  const lsns = parseLsnList(text);
  if (lsns.size === 0) {
    throw new DataSyncError('INPUT_UNREADABLE', {
      path,
      reason: `the ${flag} list holds no local system number (one a line; the first cell of a CSV line)`,
    });
  }
  return lsns;
}
