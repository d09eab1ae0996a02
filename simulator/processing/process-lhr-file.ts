import Database from 'better-sqlite3';
import { createReadStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  decideLhrGroup,
  groupLhrsByOcn,
  type ExistingLhr,
  type LhrStateView,
} from '../../oclc/datasync/decide-lhr-group.ts';
import { decideLhrRecord, type LhrEntry, type LhrRules } from '../../oclc/datasync/decide-lhr-record.ts';
import { lhrExceptionLine, lhrProcessingLine } from '../../oclc/reports/lhr-report-lines.ts';
import { recordLocator, reportFileName } from '../../oclc/reports/bib-report-lines.ts';
import { formatForName, readMarc } from '../../oclc/marc/read-marc.ts';
import type { ProcessingSummary } from '../storage/upload-store.ts';
import { deliverReports } from '../reports/deliver-reports.ts';
import type { LhrJob } from './lhr-job.ts';
import { ReportSink } from '../reports/report-sink.ts';

interface StagedLhr extends LhrEntry {
  locator: string;
}

/**
 * Processes one LHR file: reads it, applies the LHR rules of `decideLhrRecord` and the replace-all
 * rule of `decideLhrGroup` (oclc/), writes the reports, then commits the changes in one transaction.
 */
export async function processLhrFile(job: LhrJob, main: Database.Database): Promise<ProcessingSummary> {
  const workDir = join(job.dataDir, 'work', String(job.fileId));
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
  const staged: StagedLhr[] = [];
  const counts = { records: 0, dataErrors: 0, actions: {} as Record<string, number> };
  const count = (action: string): void => {
    counts.actions[action] = (counts.actions[action] ?? 0) + 1;
  };
  const rules: LhrRules = {
    ocnField: job.collection.ocnField,
    collectionType: job.collection.type,
    allowedSymbols: job.allowedSymbols,
  };

  for await (const item of readMarc(createReadStream(job.storedPath), formatForName(job.name))) {
    counts.records++;
    const locator = recordLocator(job.senderSymbol, job.collection.id, job.receivedAt, item.offset, 'lhr');
    if (item.kind === 'error') {
      counts.dataErrors++;
      count('data error');
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
      exceptions.write(lhrExceptionLine({ locator, ...decision.refusal }));
      continue;
    }
    staged.push({ ...decision.lhr, locator });
  }

  const plan = {
    deleteGroups: [] as [string, string][],
    deleteLsns: [] as [string, string][],
    inserts: [] as StagedLhr[],
    holdings: [] as [string, string][],
  };
  const state = lhrState(main);
  for (const group of groupLhrsByOcn(staged)) {
    const [first] = group;
    if (!first) continue;
    const decision = decideLhrGroup(group, state);
    for (const r of decision.rows) {
      count(r.action);
      processing.write(
        lhrProcessingLine({
          locator: r.at.locator,
          lsn: r.lsn,
          ocn: r.ocn,
          library: r.holdingLibrary,
          action: r.action,
        }),
      );
    }
    if (decision.replaceAll) plan.deleteGroups.push([first.symbol, first.ocn]);
    for (const lsn of decision.deleteLsns) plan.deleteLsns.push([first.symbol, lsn]);
    plan.inserts.push(...decision.inserts);
    if (decision.setHolding) {
      const { at, message } = decision.setHolding;
      plan.holdings.push([at.symbol, at.ocn]);
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
  processing.close();
  exceptions.close();

  const reports = [processing.path, exceptions.path].map((p) => p.split('/').pop() ?? '');
  const summary: ProcessingSummary = {
    records: counts.records,
    actions: counts.actions,
    dataErrors: counts.dataErrors,
    holdingsSet: plan.holdings.length,
    holdingsCancelled: 0,
    reports,
  };
  // Reports first, then the commit (see process-bib-file.ts).
  deliverReports(join(workDir, 'reports'), job.reportDirs);
  main.transaction(() => {
    const deleteGroup = main.prepare('DELETE FROM lhrs WHERE symbol = ? AND ocn = ?');
    const deleteLsn = main.prepare('DELETE FROM lhrs WHERE symbol = ? AND lsn = ?');
    const insert = main.prepare(
      `INSERT OR REPLACE INTO lhrs (symbol, lsn, ocn, holding_library, location, call_number, barcodes, file_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const setHolding = main.prepare('INSERT OR IGNORE INTO holdings (symbol, ocn, file_id) VALUES (?, ?, ?)');
    for (const [symbol, ocn] of plan.deleteGroups) deleteGroup.run(symbol, ocn);
    for (const [symbol, lsn] of plan.deleteLsns) deleteLsn.run(symbol, lsn);
    for (const s of plan.inserts)
      insert.run(
        s.symbol,
        s.lsn,
        s.ocn,
        s.holdingLibrary,
        s.location,
        s.callNumber,
        JSON.stringify(s.barcodes),
        job.fileId,
      );
    for (const [symbol, ocn] of plan.holdings) setHolding.run(symbol, ocn, job.fileId);
    main
      .prepare(
        `UPDATE uploads SET state = 'processed', processed_at = ?, summary = ?, reason = NULL WHERE id = ?`,
      )
      .run(job.processedAt, JSON.stringify(summary), job.fileId);
  })();
  rmSync(workDir, { recursive: true, force: true });
  return summary;
}

/** The main database's LHRs and holdings, as the replace-all decision reads them. */
function lhrState(main: Database.Database): LhrStateView {
  const existingFor = main.prepare('SELECT lsn, ocn, holding_library FROM lhrs WHERE symbol = ? AND ocn = ?');
  const existingLsn = main.prepare('SELECT 1 FROM lhrs WHERE symbol = ? AND lsn = ?');
  const hasHolding = main.prepare('SELECT 1 FROM holdings WHERE symbol = ? AND ocn = ?');
  return {
    existing: (symbol, ocn) =>
      (existingFor.all(symbol, ocn) as { lsn: string; ocn: string; holding_library: string }[]).map(
        (e): ExistingLhr => ({ lsn: e.lsn, ocn: e.ocn, holdingLibrary: e.holding_library }),
      ),
    hasLsn: (symbol, lsn) => existingLsn.get(symbol, lsn) !== undefined,
    hasHolding: (symbol, ocn) => hasHolding.get(symbol, ocn) !== undefined,
  };
}
