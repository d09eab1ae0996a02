import Database from 'better-sqlite3';
import { createReadStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { lhrExceptionLine, lhrProcessingLine, type LhrAction } from '../../oclc/datasync/lhr-reports.ts';
import { readLhr } from '../../oclc/datasync/read-lhr.ts';
import { recordLocator, reportFileName } from '../../oclc/datasync/reports.ts';
import { formatForName, readMarc } from '../../oclc/marc/read-marc.ts';
import { encodeSymbol } from '../../oclc/symbol-encoding.ts';
import type { ProcessingSummary } from '../store/upload-store.ts';
import { deliverReports } from './deliver-reports.ts';
import type { LhrJob } from './lhr-job.ts';
import { ReportSink } from './report-sink.ts';

interface StagedLhr {
  seq: number;
  locator: string;
  symbol: string;
  ocn: string;
  lsn: string;
  holding_library: string;
  location: string;
  call_number: string;
  barcodes: string;
  op: 'set' | 'delete';
}

/**
 * Processes one LHR file with OCLC's replace-all semantics: for every (symbol, OCN) in the file,
 * that institution's existing LHRs for the OCN are deleted and replaced by the file's. Sending
 * part of a set therefore deletes the rest, and the report says so row by row
 * (`removed-by-replace`). Leader/05 `d`, or a delete-lhr collection, deletes single LHRs.
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
  const allowed = new Map(
    job.allowedSymbols.flatMap(
      (s) =>
        [
          [s.toLowerCase(), s],
          [encodeSymbol(s).toLowerCase(), s],
        ] as const,
    ),
  );

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
    const reading = readLhr(item.record, job.collection.ocnField);
    if (!reading.ok) {
      count('rejected');
      exceptions.write(
        lhrExceptionLine({
          locator,
          lsn: reading.lsn,
          ocn: reading.ocn,
          library: reading.library,
          type: 'Validation Error',
          severity: 'CRITICAL',
          message: reading.message,
        }),
      );
      continue;
    }
    const { lhr } = reading;
    const symbol = allowed.get(lhr.symbol.toLowerCase());
    if (!symbol) {
      count('rejected');
      const message = `852 $a "${lhr.symbol}" is not ${job.allowedSymbols.join(' or ')}: this account cannot send holdings for it.`;
      exceptions.write(
        lhrExceptionLine({
          locator,
          lsn: lhr.lsn,
          ocn: lhr.ocn,
          library: lhr.holdingLibrary,
          type: 'Validation Error',
          severity: 'CRITICAL',
          message,
        }),
      );
      continue;
    }
    staged.push({
      seq: staged.length,
      locator,
      symbol,
      ocn: lhr.ocn,
      lsn: lhr.lsn,
      holding_library: lhr.holdingLibrary,
      location: lhr.location,
      call_number: lhr.callNumber,
      barcodes: JSON.stringify(lhr.barcodes),
      op: job.collection.type === 'delete-lhr' || lhr.isDelete ? 'delete' : 'set',
    });
  }

  const existingFor = main.prepare('SELECT lsn, ocn, holding_library FROM lhrs WHERE symbol = ? AND ocn = ?');
  const existingLsn = main.prepare('SELECT ocn FROM lhrs WHERE symbol = ? AND lsn = ?');
  const hasHolding = main.prepare('SELECT 1 FROM holdings WHERE symbol = ? AND ocn = ?');
  const plan: {
    deleteGroups: [string, string][];
    deleteLsns: [string, string][];
    inserts: StagedLhr[];
    holdings: [string, string][];
  } = {
    deleteGroups: [],
    deleteLsns: [],
    inserts: [],
    holdings: [],
  };
  const row = (
    s: { locator: string; lsn: string; ocn: string; holding_library: string },
    action: LhrAction,
  ): void => {
    count(action);
    processing.write(
      lhrProcessingLine({ locator: s.locator, lsn: s.lsn, ocn: s.ocn, library: s.holding_library, action }),
    );
  };
  for (const group of groupByOcn(staged)) {
    const [first] = group;
    if (!first) continue;
    const sets = group.filter((s) => s.op === 'set');
    const existing = existingFor.all(first.symbol, first.ocn) as {
      lsn: string;
      ocn: string;
      holding_library: string;
    }[];
    const existingLsns = new Set(existing.map((e) => e.lsn));
    if (sets.length > 0) {
      plan.deleteGroups.push([first.symbol, first.ocn]);
      const kept = new Set(sets.map((s) => s.lsn));
      for (const s of group) {
        if (s.op === 'delete') row(s, 'delete');
        else row(s, existingLsns.has(s.lsn) || existingLsn.get(s.symbol, s.lsn) ? 'replace' : 'create');
      }
      for (const e of existing) {
        if (!kept.has(e.lsn) && !group.some((s) => s.op === 'delete' && s.lsn === e.lsn))
          row({ ...e, locator: first.locator }, 'removed-by-replace');
      }
      plan.inserts.push(...sets);
      if (!hasHolding.get(first.symbol, first.ocn)) {
        plan.holdings.push([first.symbol, first.ocn]);
        exceptions.write(
          lhrExceptionLine({
            locator: first.locator,
            lsn: first.lsn,
            ocn: first.ocn,
            library: first.holding_library,
            type: 'Note',
            severity: 'MINOR',
            message: `${first.symbol} had no WorldCat holding on ${first.ocn}; the LHR set it.`,
          }),
        );
      }
    } else {
      for (const s of group) {
        row(s, 'delete');
        plan.deleteLsns.push([s.symbol, s.lsn]);
      }
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
        s.holding_library,
        s.location,
        s.call_number,
        s.barcodes,
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

/** Records grouped by (symbol, OCN), groups in order of first appearance. */
function groupByOcn(staged: readonly StagedLhr[]): StagedLhr[][] {
  const groups = new Map<string, StagedLhr[]>();
  for (const s of staged) {
    const key = `${s.symbol}\u0000${s.ocn}`;
    const group = groups.get(key);
    if (group) group.push(s);
    else groups.set(key, [s]);
  }
  return [...groups.values()];
}
