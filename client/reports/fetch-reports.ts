import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClientState, type PublishedFile } from '../client-state.ts';
import type { PublishingProfile } from '../profile.ts';
import { connect } from '../publish.ts';
import { parseReport, parseReportName } from '../../oclc/reports/parse-report.ts';

export interface FileReportSummary {
  file: string;
  reports: string[];
  complete: boolean;
  records: number;
  actions: Record<string, number>;
  exceptions: Record<string, number>;
  lbdErrors: number;
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
        !published.some((p) => belongs(p, name.collectionId, name.originalName))
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

function belongs(file: PublishedFile, collectionId: string, originalName: string): boolean {
  return file.collectionId === collectionId && file.name === originalName;
}

function summarise(file: PublishedFile, state: ClientState, outDir: string): FileReportSummary {
  const summary: FileReportSummary = {
    file: file.name,
    reports: [],
    complete: false,
    records: 0,
    actions: {},
    exceptions: {},
    lbdErrors: 0,
  };
  const count = (map: Record<string, number>, key: string): void => {
    map[key] = (map[key] ?? 0) + 1;
  };
  for (const name of state.fetchedFor(file.collectionId, file.name)) {
    const parsed = parseReportName(name);
    const file = join(outDir, name);
    // A report the server no longer lists and this folder does not hold cannot be summarised.
    if (!parsed || !existsSync(file)) continue;
    summary.reports.push(name);
    const report = parseReport(parsed.report, readFileSync(file, 'utf8'));
    if (report.kind === 'BibProcessingReport' || report.kind === 'LhrProcessingReport') {
      summary.complete = true;
      for (const row of report.rows) {
        summary.records++;
        count(summary.actions, row.action);
      }
    } else if (report.kind === 'BibExceptionReport' || report.kind === 'LhrExceptionReport') {
      for (const row of report.rows) {
        count(summary.exceptions, row.severity || row.type);
        if (row.type === 'Data Error') summary.records++;
      }
    } else if (report.kind === 'LbdExceptionReport') {
      summary.lbdErrors += report.rows.length;
    }
  }
  return summary;
}
