import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClientState, type PublishedFile } from '../client-state.ts';
import type { PublishingProfile } from '../profile.ts';
import { connect } from '../publish.ts';
import { parseReport, parseReportName, type ReportName } from '../../oclc/reports/parse-report.ts';
import { reportedNameMatches } from '../../oclc/reports/report-name-limit.ts';

/** What one set of reports (the first run, or a rerun `_1`, `_2`, …) says about a file. */
export interface ReportSetSummary {
  /** The rerun counter after the uploaded name; null for the reports of the first run. */
  rerun: number | null;
  /** Records of the file the set names: each record once, whatever rows it has. */
  records: number;
  /** Rows of the processing report by action, as OCLC writes them (`match`, `field transfer`, …). */
  actions: Record<string, number>;
  /** Exception rows by OCLC's type and severity: `Validation Error CRITICAL`, `Data Error`, … */
  exceptions: Record<string, number>;
  /** Records with at least one exception row. */
  recordsWithExceptions: number;
  lbdErrors: number;
}

export interface FileReportSummary extends Omit<ReportSetSummary, 'rerun'> {
  file: string;
  reports: string[];
  complete: boolean;
  /** Each set on its own; the counts above add them up (OCLC's reruns each report their records). */
  runs: ReportSetSummary[];
}

export interface FetchResult {
  downloaded: string[];
  files: FileReportSummary[];
  waitedMs: number;
  complete: boolean;
}

export interface FetchOptions {
  profile: PublishingProfile;
  outDir: string;
  /** Poll until every published file has its processing report, or this many ms have passed. */
  waitMs?: number;
  intervalMs?: number;
  onPoll?: (missing: number) => void;
}

const REPORTS_DIR = 'metacoll/reports';

/**
 * Downloads the reports that belong to files this client published (same collection ID and
 * original name, reruns `_1`, `_2` included), once each, and summarises them per file.
 */
export async function fetchReports(options: FetchOptions): Promise<FetchResult> {
  const { profile } = options;
  const state = new ClientState(profile.stateDir);
  mkdirSync(options.outDir, { recursive: true });
  const published = state.published.filter((p) => p.collectionId === profile.collectionId);
  const downloaded: string[] = [];
  const started = performance.now();
  for (;;) {
    await using connection = await connect(profile);
    for (const entry of await connection.list(REPORTS_DIR)) {
      const name = parseReportName(entry.name);
      if (
        !name ||
        // Fetched once means downloaded into this folder: with a new --out, or after the folder
        // was deleted, the report is downloaded again rather than read from where it is not.
        (state.wasFetched(entry.name) && existsSync(join(options.outDir, entry.name))) ||
        !published.some((p) => belongs(p, name))
      )
        continue;
      writeFileSync(
        join(options.outDir, entry.name),
        await connection.download(`${REPORTS_DIR}/${entry.name}`),
      );
      state.markFetched(entry.name);
      downloaded.push(entry.name);
    }
    const files = published.map((p) => summarise(p, state, options.outDir));
    const missing = files.filter((f) => !f.complete).length;
    const waited = performance.now() - started;
    if (missing === 0 || waited >= (options.waitMs ?? 0))
      return { downloaded, files, waitedMs: Math.round(waited), complete: missing === 0 };
    options.onPoll?.(missing);
    await new Promise((resolve) =>
      setTimeout(resolve, Math.min(options.intervalMs ?? 5000, (options.waitMs ?? 0) - waited)),
    );
  }
}

/** A report of this file: its name whole, or shortened as for a name too long for reports. */
function belongs(file: PublishedFile, report: ReportName): boolean {
  return (
    file.collectionId === report.collectionId &&
    reportedNameMatches(report.originalName, file.name, report.sender, report.symbol)
  );
}

function summarise(file: PublishedFile, state: ClientState, outDir: string): FileReportSummary {
  const runs = new Map<
    number | null,
    ReportSetSummary & { locators: Set<string>; failed: Set<string>; rows: Set<string> }
  >();
  const reports: string[] = [];
  let complete = false;
  for (const name of state.fetchedFor(file.collectionId, file.name)) {
    const parsed = parseReportName(name);
    const path = join(outDir, name);
    // A report the server no longer lists and this folder does not hold cannot be summarised.
    if (!parsed || !existsSync(path)) continue;
    reports.push(name);
    const key = parsed.rerun ?? null;
    let run = runs.get(key);
    if (!run) {
      run = { ...emptySet(key), locators: new Set(), failed: new Set(), rows: new Set() };
      runs.set(key, run);
    }
    complete ||= parsed.report === 'BibProcessingReport' || parsed.report === 'LhrProcessingReport';
    addReport(run, parseReport(parsed.report, readFileSync(path, 'utf8')));
  }
  const sets = [...runs.values()]
    .sort((a, b) => (a.rerun ?? -1) - (b.rerun ?? -1))
    .map(({ locators, failed, rows: _rows, ...set }) => ({
      ...set,
      records: locators.size,
      recordsWithExceptions: failed.size,
    }));
  const total = emptySet(null);
  for (const set of sets) {
    total.records += set.records;
    total.recordsWithExceptions += set.recordsWithExceptions;
    total.lbdErrors += set.lbdErrors;
    for (const [k, n] of Object.entries(set.actions)) total.actions[k] = (total.actions[k] ?? 0) + n;
    for (const [k, n] of Object.entries(set.exceptions)) total.exceptions[k] = (total.exceptions[k] ?? 0) + n;
  }
  return {
    file: file.name,
    reports,
    complete,
    records: total.records,
    actions: total.actions,
    exceptions: total.exceptions,
    recordsWithExceptions: total.recordsWithExceptions,
    lbdErrors: total.lbdErrors,
    runs: sets,
  };
}

function emptySet(rerun: number | null): ReportSetSummary {
  return { rerun, records: 0, actions: {}, exceptions: {}, recordsWithExceptions: 0, lbdErrors: 0 };
}

/**
 * Adds one report's rows. A record is counted once by its locator, wherever it appears: an LHR
 * refused by a rule or a Data Error is only in the exception report, and an LHR removed by a
 * replace-all is reported at the locator of its group's first record, not as a record of its own.
 */
function addReport(
  run: ReportSetSummary & { locators: Set<string>; failed: Set<string>; rows: Set<string> },
  report: ReturnType<typeof parseReport>,
): void {
  const count = (map: Record<string, number>, key: string): void => {
    map[key] = (map[key] ?? 0) + 1;
  };
  if (report.kind === 'BibProcessingReport' || report.kind === 'LhrProcessingReport') {
    for (const row of report.rows) {
      // A row OCLC wrote twice (it happens in real reports) is one outcome.
      const key = Object.values(row).join('|');
      if (run.rows.has(key)) continue;
      run.rows.add(key);
      count(run.actions, row.action);
      run.locators.add(row.locator);
    }
  } else if (report.kind === 'BibExceptionReport' || report.kind === 'LhrExceptionReport') {
    for (const row of report.rows) {
      count(run.exceptions, [row.type, row.severity].filter(Boolean).join(' '));
      run.locators.add(row.locator);
      run.failed.add(row.locator);
    }
  } else if (report.kind === 'LbdExceptionReport') {
    run.lbdErrors += report.rows.length;
  }
}
