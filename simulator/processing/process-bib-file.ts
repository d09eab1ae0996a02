import { countBytes, type FileProgress } from './file-progress.ts';
import Database from 'better-sqlite3';
import { createReadStream, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BibRules } from '../../oclc/datasync/check-bib-record.ts';
import {
  decideBibRecord,
  type BibDecision,
  type WorldCatView,
} from '../../oclc/datasync/decide-bib-record.ts';
import {
  crossRefLine,
  exceptionLine,
  LBD_IN_USE_MESSAGE,
  lbdExceptionLine,
  lbdProcessingLine,
  processingLine,
  recordLocatorPrefix,
  reportFileName,
  type BibReportName,
} from '../../oclc/reports/bib-report-lines.ts';
import type { MarcReadItem } from '../../oclc/marc/marc-read-result.ts';
import { isKeyListName, readKeyList } from './read-key-list.ts';
import { formatForName, readMarcChunks } from '../../oclc/marc/read-marc.ts';
import { UploadStore, type ProcessingSummary } from '../storage/upload-store.ts';
import type { BibJob } from './bib-job.ts';
import { openStaging, resolveStagedHoldings } from './bib-staging.ts';
import { BibStagingStore } from './bib-staging-store.ts';
import { NumberBlocks } from '../worldcat/number-blocks.ts';
import { deliverReports } from '../reports/deliver-reports.ts';
import { ReportSink } from '../reports/report-sink.ts';
import { storageLayout } from '../storage/storage-layout.ts';
import { applyBibFile } from '../worldcat/apply-bib-file.ts';
import { isWatched } from '../worldcat/change-log.ts';
import { writeIso2709 } from '../../oclc/marc/write-iso2709.ts';
import { countErrorClasses } from './error-classes.ts';

const ALWAYS: readonly BibReportName[] = [
  'BibProcessingReport',
  'BibExceptionReport',
  'BibCrossRefReport',
  'BibUnresolvedCrossRefReport',
];
const WHEN_NOT_EMPTY: readonly BibReportName[] = ['LbdProcessingReport', 'LbdExceptionReport'];
/** Pending maps and batches are flushed this often, which also bounds their memory. */
const STAGING_BATCH = 4096;

/**
 * Processes one queued bib file as Data Sync does: streams its records, decides each one against
 * the simulated WorldCat, writes OCLC's reports, and commits the holdings in one transaction.
 * Runs inside the processing worker; reads no clock (it asks for the time when it commits).
 */
export async function processBibFile(
  job: BibJob,
  main: Database.Database,
  finishedAt: () => Promise<number>,
  progress: FileProgress = { records: 0, bytes: 0 },
): Promise<ProcessingSummary> {
  const workDir = storageLayout.workFolder(job.dataDir, job.fileId);
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(join(workDir, 'reports'), { recursive: true });
  const stagingPath = join(workDir, 'staging.sqlite');
  const staging = openStaging(stagingPath);
  const sinks = openSinks(job, workDir);
  const engine = new BibEngine(job, main, staging, sinks);
  try {
    // One transaction for the whole file: the scratch has no journal, so a commit only cost time.
    staging.exec('BEGIN');
    let sinceFlush = 0;
    const bytes = countBytes(createReadStream(job.storedPath, { highWaterMark: 1 << 20 }), progress);
    const chunks = isKeyListName(job.name)
      ? oneByOne(readKeyList(bytes))
      : readMarcChunks(bytes, formatForName(job.name));
    for await (const items of chunks) {
      for (const item of items) {
        progress.records++;
        engine.handle(item);
        if (++sinceFlush >= STAGING_BATCH) {
          engine.flush();
          sinceFlush = 0;
        }
      }
    }
    engine.flush();
    resolveStagedHoldings(staging);
    staging.exec('COMMIT');
    const reports = closeSinks(sinks);
    const summary = engine.summary(reports.map((r) => r.name));
    // Reports first, then the commit: a file seen as processed always has its reports, and a crash
    // in between only means the file is processed again and the same reports are rewritten.
    deliverReports(join(workDir, 'reports'), job.reportDirs);
    const processedAt = await finishedAt();
    applyBibFile(main, stagingPath, {
      fileId: job.fileId,
      symbol: job.targetSymbol,
      collectionId: job.collection.id,
      at: processedAt,
      counters: engine.counters,
      perRowSymbols: isKeyListName(job.name),
      finish: (holdings) => {
        // Counted against WorldCat as the commit finds it: a cancel of a holding never held is none.
        summary.holdingsSet = holdings.set;
        summary.holdingsCancelled = holdings.cancelled;
        new UploadStore(main).markProcessed(job.fileId, processedAt, summary);
      },
    });
    staging.close();
    rmSync(workDir, { recursive: true, force: true });
    return summary;
  } finally {
    if (staging.open) staging.close();
    // A failed file gives its unused numbers back (after a commit this does nothing); if even that
    // fails, the counter just keeps a gap.
    try {
      engine.counters.ocn.release();
      engine.counters.provisional.release();
    } catch {
      // The file's own error is the one to report.
    }
  }
}

/** A key list's rows in the shape of readMarcChunks (key lists are small; one row per step is fine). */
async function* oneByOne(items: AsyncIterable<MarcReadItem>): AsyncGenerator<MarcReadItem[]> {
  for await (const item of items) yield [item];
}

type Sinks = Map<BibReportName, ReportSink>;

function openSinks(job: BibJob, workDir: string): Sinks {
  const sinks: Sinks = new Map();
  for (const report of [...ALWAYS, ...WHEN_NOT_EMPTY]) {
    const name = reportFileName({
      senderSymbol: job.senderSymbol,
      collectionSymbol: job.targetEncoded,
      collectionId: job.collection.id,
      kind: 'BIB',
      receivedAt: job.receivedAt,
      originalName: job.name,
      report,
    });
    sinks.set(report, new ReportSink(join(workDir, 'reports', name)));
  }
  return sinks;
}

function closeSinks(sinks: Sinks): { name: string }[] {
  const kept: { name: string }[] = [];
  for (const [report, sink] of sinks) {
    sink.close();
    if (sink.lines === 0 && WHEN_NOT_EMPTY.includes(report)) rmSync(sink.path);
    else kept.push({ name: sink.path.split('/').pop() ?? '' });
  }
  return kept;
}

/** Actions on a WorldCat record: the ones a cross-reference report lists. */
const ACTED_ON: ReadonlySet<string> = new Set(['match', 'create', 'replace', 'field transfer']);

/** Per-record decisions, numbering, LBD bookkeeping and report rows for one file. */
class BibEngine {
  readonly counters: { ocn: NumberBlocks; provisional: NumberBlocks };
  readonly #job: BibJob;
  readonly #sinks: Sinks;
  readonly #world: WorldCatView;
  readonly #store: BibStagingStore;
  readonly #rules: BibRules;
  readonly #counts = {
    records: 0,
    dataErrors: 0,
    actions: {} as Record<string, number>,
    errorClasses: {} as Record<string, number>,
  };
  #seq = 0;
  readonly #locatorPrefix: string;
  /** Whether record output watches this institution: then LSNs and records are staged too. */
  readonly #watched: boolean;

  constructor(job: BibJob, main: Database.Database, staging: Database.Database, sinks: Sinks) {
    this.#job = job;
    this.#sinks = sinks;
    this.#locatorPrefix = recordLocatorPrefix(job.senderSymbol, job.collection.id, job.receivedAt);
    this.#store = new BibStagingStore(main, staging, {
      symbol: job.targetSymbol,
      ownRangeStart: job.worldcat.newOcnStart,
      fileBytes: statSync(job.storedPath).size,
    });
    this.counters = {
      ocn: new NumberBlocks(main, 'next_ocn', job.worldcat.newOcnStart),
      provisional: new NumberBlocks(main, 'next_provisional', job.worldcat.provisionalOcnStart),
    };
    const { collection } = job;
    // A key list's rows carry the OCN in 035 and the LSN in 001, whatever the collection says.
    const keys = isKeyListName(job.name);
    this.#rules = {
      symbol: job.targetSymbol,
      collectionType: collection.type,
      ocnSource: keys ? '035' : collection.ocnField,
      lsnFields: keys ? ['001'] : collection.lsnField,
      keysOnly: keys,
      allowedSymbols: keys ? job.allowedSymbols : undefined,
      block: collection.validationBlock,
      holdings: collection.holdings,
    };
    this.#world = this.#worldcat();
    this.#watched = isWatched(main, job.targetSymbol);
  }

  handle(item: MarcReadItem): void {
    this.#counts.records++;
    const locator = this.#locatorPrefix + String(item.offset);
    if (item.kind === 'error') {
      this.#counts.dataErrors++;
      this.#count('data error');
      countErrorClasses(this.#counts.errorClasses, [{ type: 'Data Error', severity: '' }]);
      const row = {
        locator,
        lsn: '',
        incomingOcn: '',
        worldcatOcn: '',
        type: 'Data Error' as const,
        severity: '' as const,
        message: item.code,
      };
      this.#sink('BibExceptionReport').write(exceptionLine(row));
      const errors = JSON.stringify([
        { type: 'Data Error', severity: '', message: item.code, detail: item.detail },
      ]);
      this.#store.outcome(++this.#seq, item.offset, locator, '', '', '', 'data error', errors);
      return;
    }
    const decision = decideBibRecord(item.record, this.#rules, this.#world);
    const ocn = this.#number(decision);
    this.#count(decision.action);
    countErrorClasses(this.#counts.errorClasses, decision.exceptions);
    const row = {
      locator,
      lsn: decision.lsn,
      incomingOcn: decision.incomingOcn,
      worldcatOcn: ocn,
      action: decision.action,
    };
    this.#sink('BibProcessingReport').write(processingLine(row));
    for (const e of decision.exceptions) {
      this.#sink('BibExceptionReport').write(
        exceptionLine({ ...row, type: e.type, severity: e.severity, message: e.message }),
      );
    }
    if (decision.action === 'unresolved')
      this.#sink('BibUnresolvedCrossRefReport').write(crossRefLine(decision.lsn, ocn));
    // A collection that sets no holdings still pairs LSN and OCN for every record acted on.
    if (decision.holdings === 'none' && this.#rules.holdings === 'none' && ACTED_ON.has(decision.action))
      this.#sink('BibCrossRefReport').write(crossRefLine(decision.lsn, ocn));
    if (decision.holdings !== 'none') {
      this.#sink('BibCrossRefReport').write(crossRefLine(decision.lsn, ocn));
      this.#store.setHolding(ocn, decision.holdings, this.#watched ? decision.lsn : null, decision.holder);
      if (this.#watched)
        this.#store.record(
          ocn,
          writeIso2709(item.record.leader, item.record.fields),
          decision.action === 'replace',
        );
      // A key list row is a search key, not local bibliographic data: no LBD to keep.
      if (!this.#rules.keysOnly) this.#lbd(locator, decision, ocn);
    }
    if (decision.needs === 'new-ocn') this.#store.created(ocn, decision.lsn, decision.keys);
    // Outcomes without exceptions are read back from BibProcessingReport; only exceptions are kept.
    if (decision.exceptions.length > 0) {
      const errors = JSON.stringify(decision.exceptions);
      this.#store.outcome(
        ++this.#seq,
        item.offset,
        locator,
        decision.lsn,
        decision.incomingOcn,
        ocn,
        decision.action,
        errors,
      );
    }
  }

  flush(): void {
    this.#store.flush();
  }

  summary(reports: string[]): ProcessingSummary {
    const { records, actions, dataErrors, errorClasses } = this.#counts;
    // The holdings counts are filled in at the commit (applyBibFile), against WorldCat as it is then.
    return { records, actions, dataErrors, holdingsSet: 0, holdingsCancelled: 0, reports, errorClasses };
  }

  /** LSN → OCN bookkeeping: a known LSN now arriving with another OCN is refused (LBD error). */
  #lbd(locator: string, decision: BibDecision, ocn: string): void {
    const current = this.#store.currentLsn(decision.lsn);
    if (decision.holdings === 'cancel') {
      if (current === null) return;
      this.#store.mapLsn(decision.lsn, null);
      this.#sink('LbdProcessingReport').write(lbdProcessingLine(locator, decision.lsn, ocn, 'LBD_DELETE'));
      return;
    }
    if (current === null) {
      this.#store.mapLsn(decision.lsn, ocn);
      this.#sink('LbdProcessingReport').write(lbdProcessingLine(locator, decision.lsn, ocn, 'LBD_CREATE'));
    } else if (current !== ocn) {
      this.#sink('LbdExceptionReport').write(
        lbdExceptionLine(locator, decision.lsn, ocn, LBD_IN_USE_MESSAGE),
      );
    }
  }

  #number(decision: BibDecision): string {
    if (decision.needs === 'new-ocn') return String(this.counters.ocn.next());
    if (decision.needs === 'provisional-ocn') return String(this.counters.provisional.next());
    return decision.worldcatOcn;
  }

  #worldcat(): WorldCatView {
    const { merged, deleted } = this.#job.worldcat;
    const deletedSet = new Set(deleted);
    const store = this.#store;
    return {
      resolve(ocn) {
        let current = ocn;
        for (let hops = 0; merged[current] !== undefined && hops < 20; hops++)
          current = merged[current] ?? current;
        return deletedSet.has(current) ? undefined : current;
      },
      fullMatch: (keys) => store.fullMatch(keys),
      createdBy: (ocn, symbol) => store.createdBy(ocn, symbol),
    };
  }

  #count(action: string): void {
    this.#counts.actions[action] = (this.#counts.actions[action] ?? 0) + 1;
  }

  #sink(report: BibReportName): ReportSink {
    const sink = this.#sinks.get(report);
    if (!sink) throw new Error(`no sink for ${report}`);
    return sink;
  }
}
