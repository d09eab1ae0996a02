/** Every report kind OCLC writes (and the simulator's LHR ones), as named in report files. */
export const REPORT_KINDS = [
  'BibProcessingReport',
  'BibExceptionReport',
  'BibCrossRefReport',
  'BibUnresolvedCrossRefReport',
  'LbdProcessingReport',
  'LbdExceptionReport',
  'LhrProcessingReport',
  'LhrExceptionReport',
] as const;

export type ReportKind = (typeof REPORT_KINDS)[number];

export interface ReportName {
  sender: string;
  symbol: string;
  collectionId: string;
  kind: 'BIB' | 'LHR';
  date: string;
  time: string;
  /** The uploaded file's name, without the `_1`, `_2` suffix of a rerun. */
  originalName: string;
  rerun: number | undefined;
  report: ReportKind;
}

const NAME =
  /^([A-Za-z0-9_]+)-([A-Za-z0-9_]+)\.(\d{7})\.IN\.(BIB|LHR)\.D(\d{8})\.T(\d{9})\.(.+?)(?:_(\d+))?\.(\w+Report)\.txt$/;

/** Reads OCLC's report file name; undefined for files that are not current-generation reports. */
export function parseReportName(name: string): ReportName | undefined {
  const m = NAME.exec(name);
  if (!m) return undefined;
  const report = m[9] as ReportKind;
  if (!REPORT_KINDS.includes(report)) return undefined;
  return {
    sender: m[1] ?? '',
    symbol: m[2] ?? '',
    collectionId: m[3] ?? '',
    kind: m[4] as 'BIB' | 'LHR',
    date: m[5] ?? '',
    time: m[6] ?? '',
    originalName: m[7] ?? '',
    rerun: m[8] === undefined ? undefined : Number(m[8]),
    report,
  };
}

export type ParsedReport =
  | {
      kind: 'BibProcessingReport';
      rows: { locator: string; lsn: string; incomingOcn: string; worldcatOcn: string; action: string }[];
    }
  | {
      kind: 'BibExceptionReport';
      rows: {
        locator: string;
        lsn: string;
        incomingOcn: string;
        worldcatOcn: string;
        type: string;
        severity: string;
        message: string;
      }[];
    }
  | { kind: 'BibCrossRefReport' | 'BibUnresolvedCrossRefReport'; rows: { lsn: string; ocn: string }[] }
  | {
      kind: 'LbdProcessingReport' | 'LbdExceptionReport';
      rows: { locator: string; lsn: string; ocn: string; status: string; message: string }[];
    }
  | {
      kind: 'LhrProcessingReport';
      rows: { locator: string; lsn: string; ocn: string; holdingLibrary: string; action: string }[];
    }
  | {
      kind: 'LhrExceptionReport';
      rows: {
        locator: string;
        lsn: string;
        ocn: string;
        holdingLibrary: string;
        type: string;
        severity: string;
        message: string;
      }[];
    };

export type ReportRow<K extends ReportKind> = Extract<ParsedReport, { kind: K }>['rows'][number];

/** The kind of a report file by its name, including the legacy `xrefrpt` / `unresxrefrpt` names. */
export function reportKindOf(fileName: string): ReportKind | undefined {
  const current =
    parseReportName(fileName)?.report ?? REPORT_KINDS.find((k) => fileName.endsWith(`.${k}.txt`));
  if (current) return current;
  if (/unresxrefrpt\.txt$/i.test(fileName)) return 'BibUnresolvedCrossRefReport';
  if (/xrefrpt\.txt$/i.test(fileName)) return 'BibCrossRefReport';
  return undefined;
}

const COLUMNS: Readonly<Record<ReportKind, readonly string[]>> = {
  BibProcessingReport: ['locator', 'lsn', 'incomingOcn', 'worldcatOcn', 'action'],
  BibExceptionReport: ['locator', 'lsn', 'incomingOcn', 'worldcatOcn', 'type', 'severity', 'message'],
  BibCrossRefReport: ['lsn', 'ocn'],
  BibUnresolvedCrossRefReport: ['lsn', 'ocn'],
  LbdProcessingReport: ['locator', 'lsn', 'ocn', 'status', 'message'],
  LbdExceptionReport: ['locator', 'lsn', 'ocn', 'status', 'message'],
  LhrProcessingReport: ['locator', 'lsn', 'ocn', 'holdingLibrary', 'action'],
  LhrExceptionReport: ['locator', 'lsn', 'ocn', 'holdingLibrary', 'type', 'severity', 'message'],
};

/**
 * Parses a report's text: `|` rows for processing and exception reports, TAB rows for the
 * cross-references. Missing trailing fields are empty; a last column (a message) keeps any `|`.
 */
export function parseReport(kind: ReportKind, text: string): ParsedReport {
  const rows = text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => parseReportLine(kind, line));
  return { kind, rows } as ParsedReport;
}

/** One row of a report, for readers that stream a large report line by line. */
export function parseReportLine<K extends ReportKind>(kind: K, line: string): ReportRow<K> {
  const columns = COLUMNS[kind];
  const tab = kind === 'BibCrossRefReport' || kind === 'BibUnresolvedCrossRefReport';
  const cells = line.split(tab ? '\t' : '|');
  const row: Record<string, string> = {};
  columns.forEach((column, i) => {
    const value = i === columns.length - 1 ? cells.slice(i).join('|') : (cells[i] ?? '');
    row[column] = tab ? value.trim() : value;
  });
  return row as unknown as ReportRow<K>;
}
