import Database from 'better-sqlite3';
import { createReadStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { decideLhrGroup } from '../../oclc/datasync/decide-lhr-group.ts';
import { decideLhrRecord, type LhrRules } from '../../oclc/datasync/decide-lhr-record.ts';
import { lhrExceptionLine, lhrProcessingLine } from '../../oclc/reports/lhr-report-lines.ts';
import { recordLocatorPrefix, reportFileName } from '../../oclc/reports/bib-report-lines.ts';
import { formatForName, readMarcChunks } from '../../oclc/marc/read-marc.ts';
import { UploadStore, type LhrEffect, type ProcessingSummary } from '../storage/upload-store.ts';
import { deliverReports } from '../reports/deliver-reports.ts';
import type { LhrJob } from './lhr-job.ts';
import { ReportSink } from '../reports/report-sink.ts';
import { BatchInsert } from './batch-insert.ts';
import { countBytes, type FileProgress } from './file-progress.ts';
import { numberLhrGroups, openLhrStaging, readLhrGroups } from './lhr-staging.ts';
import { storageLayout } from '../storage/storage-layout.ts';
import { applyLhrFile } from '../worldcat/apply-lhr-file.ts';
import { countErrorClasses } from './error-classes.ts';
import { lhrStateView } from '../worldcat/lhr-state-view.ts';

/** Groups of OCNs read back from the scratch database at a time: bounds the worker's heap. */
const GROUPS_PER_READ = 2048;

/**
 * Processes one LHR file: reads it, applies the LHR rules of `decideLhrRecord` and the replace-all
 * rule of `decideLhrGroup` (oclc/), writes the reports, then commits the changes in one transaction.
 */
export async function processLhrFile(
  job: LhrJob,
  main: Database.Database,
  finishedAt: () => Promise<number>,
  progress: FileProgress = { records: 0, bytes: 0 },
): Promise<ProcessingSummary> {
  const workDir = storageLayout.workFolder(job.dataDir, job.fileId);
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(join(workDir, 'reports'), { recursive: true });
  const name = (report: string): string =>
    join(
      workDir,
      'reports',
      reportFileName({
        senderSymbol: job.senderSymbol,
        collectionSymbol: job.targetEncoded,
        collectionId: job.collection.id,
        kind: 'LHR',
        receivedAt: job.receivedAt,
        originalName: job.name,
        report,
      }),
    );
  const processing = new ReportSink(name('LhrProcessingReport'));
  const exceptions = new ReportSink(name('LhrExceptionReport'));
  const stagingPath = join(workDir, 'staging.sqlite');
  const staging = openLhrStaging(stagingPath);
  try {
    // One transaction for the whole file: the scratch has no journal, so a commit only cost time.
    staging.exec('BEGIN');
    const stage = new BatchInsert(staging, 'INSERT INTO s_lhr', 10);
    const counts = {
      records: 0,
      dataErrors: 0,
      actions: {} as Record<string, number>,
      errorClasses: {} as Record<string, number>,
    };
    const count = (action: string): void => {
      counts.actions[action] = (counts.actions[action] ?? 0) + 1;
    };
    const rules: LhrRules = {
      ocnField: job.collection.ocnField,
      collectionType: job.collection.type,
      allowedSymbols: job.allowedSymbols,
      translation: job.collection.translation,
    };

    const source = countBytes(createReadStream(job.storedPath, { highWaterMark: 1 << 20 }), progress);
    const locatorPrefix = recordLocatorPrefix(job.senderSymbol, job.collection.id, job.receivedAt, 'lhr');
    for await (const items of readMarcChunks(source, formatForName(job.name)))
      for (const item of items) {
        counts.records++;
        progress.records++;
        const locator = locatorPrefix + String(item.offset);
        if (item.kind === 'error') {
          counts.dataErrors++;
          count('data error');
          countErrorClasses(counts.errorClasses, [{ type: 'Data Error', severity: '' }]);
          exceptions.write(
            lhrExceptionLine({
              locator,
              lsn: '',
              ocn: '',
              library: '',
              type: 'Data Error',
              severity: '',
              message: item.code,
            }),
          );
          continue;
        }
        const decision = decideLhrRecord(item.record, rules);
        if (!decision.ok) {
          count('rejected');
          countErrorClasses(counts.errorClasses, [decision.refusal]);
          exceptions.write(lhrExceptionLine({ locator, ...decision.refusal }));
          continue;
        }
        const l = decision.lhr;
        stage.add(
          counts.records,
          l.symbol,
          l.ocn,
          l.lsn,
          l.op,
          l.holdingLibrary,
          l.location,
          l.callNumber,
          JSON.stringify(l.barcodes),
          locator,
        );
      }
    stage.flush();

    numberLhrGroups(staging);
    const plan = {
      deleteGroups: new BatchInsert(staging, 'INSERT INTO s_delete_group', 2),
      deleteLsns: new BatchInsert(staging, 'INSERT INTO s_delete_lsn', 2),
      inserts: new BatchInsert(staging, 'INSERT INTO s_insert', 1),
      holdings: new BatchInsert(staging, 'INSERT INTO s_holding', 2),
    };
    let holdingsSet = 0;
    const state = lhrStateView(main);
    for (const group of readLhrGroups(staging, GROUPS_PER_READ)) {
      const [first] = group;
      if (!first) continue;
      const decision = decideLhrGroup(group, state);
      for (const r of decision.rows) {
        count(r.action);
        const row = { locator: r.at.locator, lsn: r.lsn, ocn: r.ocn, library: r.holdingLibrary };
        processing.write(lhrProcessingLine({ ...row, action: r.action }));
        if (r.action === 'not found') {
          const message = `${r.at.symbol} has no LHR with LSN ${r.lsn}; nothing was deleted.`;
          exceptions.write(lhrExceptionLine({ ...row, type: 'Note', severity: 'MINOR', message }));
        }
      }
      if (decision.replaceAll) plan.deleteGroups.add2(first.symbol, first.ocn);
      for (const lsn of decision.deleteLsns) plan.deleteLsns.add2(first.symbol, lsn);
      for (const s of decision.inserts) plan.inserts.add(s.seq);
      if (decision.setHolding) {
        const { at, message } = decision.setHolding;
        plan.holdings.add2(at.symbol, at.ocn);
        holdingsSet++;
        exceptions.write(
          lhrExceptionLine({
            locator: at.locator,
            lsn: at.lsn,
            ocn: at.ocn,
            library: at.holdingLibrary,
            type: 'Note',
            severity: 'MINOR',
            message,
          }),
        );
      }
    }
    for (const batch of Object.values(plan)) batch.flush();
    staging.exec('COMMIT');
    staging.close();
    processing.close();
    exceptions.close();

    const reports = [processing.path, exceptions.path].map((p) => p.split('/').pop() ?? '');
    const summary: ProcessingSummary = {
      records: counts.records,
      actions: counts.actions,
      dataErrors: counts.dataErrors,
      holdingsSet,
      holdingsCancelled: 0,
      reports,
      errorClasses: counts.errorClasses,
      lhr: lhrEffect(counts.actions),
    };
    // Reports first, then the commit (see process-bib-file.ts).
    deliverReports(join(workDir, 'reports'), job.reportDirs);
    const processedAt = await finishedAt();
    applyLhrFile(
      main,
      stagingPath,
      { fileId: job.fileId, collectionId: job.collection.id, at: processedAt },
      () => new UploadStore(main).markProcessed(job.fileId, processedAt, summary),
    );
    rmSync(workDir, { recursive: true, force: true });
    return summary;
  } finally {
    if (staging.open) staging.close();
  }
}

/** The replace-all effect from the processing report's actions. */
function lhrEffect(actions: Record<string, number>): LhrEffect {
  return {
    added: actions['create'] ?? 0,
    replaced: actions['replace'] ?? 0,
    deleted: actions['delete'] ?? 0,
    removedByReplace: actions['removed-by-replace'] ?? 0,
  };
}
