import { createReadStream, statSync } from 'node:fs';
import { decideLhrRecord, type LhrRules } from '../../oclc/datasync/decide-lhr-record.ts';
import { checkBibRecord, type BibRules } from '../../oclc/datasync/check-bib-record.ts';
import type { OcnSource } from '../../oclc/datasync/ocn.ts';
import { recordLocator, reportFileName } from '../../oclc/reports/bib-report-lines.ts';
import { DataSyncError } from '../../oclc/error-catalogue.ts';
import type { MarcReadItem } from '../../oclc/marc/marc-read-result.ts';
import { formatForName, readMarc } from '../../oclc/marc/read-marc.ts';
import { systemClock, type Clock } from '../clock/clock.ts';
import type { CollectionType } from '../config/simulator-config.ts';
import type { CheckProblem, CheckResult } from './check-result.ts';
import {
  checkTargetName,
  encodedSymbols,
  resolveCheckTarget,
  type CheckTarget,
  type CheckTargetOptions,
} from './resolve-check-target.ts';

/** Options of `checkFile`: the institution and kind to check against, a clock, a problem cap, progress callbacks. */
export interface CheckOptions extends CheckTargetOptions {
  /** The receipt time in locators and report names; the check's own time by default. */
  clock?: Clock;
  /** How many problems the result keeps (all are passed to `onProblem`); 1000 by default. */
  maxProblems?: number;
  onProblem?: (problem: CheckProblem, file: { path: string; kind: CollectionType }) => void;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

const MAX_REASONS = 100;
const HOLDINGS_TYPES = 'xyvu';

/**
 * Tells what Data Sync would refuse in a file without uploading it: the same readers and the same
 * rules as processing (`checkBibRecord`, `decideLhrRecord`), minus everything that needs
 * WorldCat's state. Streams the file, so memory stays flat whatever its size.
 */
export async function checkFile(path: string, options: CheckOptions = {}): Promise<CheckResult> {
  const bytes = fileSize(path);
  const clock = options.clock ?? systemClock;
  const started = performance.now();
  const receivedAt = clock.now();
  const target = resolveCheckTarget(path, options);
  if (/\.(csv|nsk)$/i.test(target.name)) {
    throw new DataSyncError('PATH_INVALID', {
      action: 'check',
      path,
      reason: 'key lists (.csv, .nsk) are not MARC; check reads ISO 2709 (.mrc) and MARCXML (.xml) files',
    });
  }
  const maxProblems = options.maxProblems ?? 1000;
  const result: CheckResult = {
    path,
    kind: target.kind?.type ?? 'bib',
    kindFrom: target.kind?.from ?? 'records',
    symbol: target.symbol,
    name: undefined,
    records: 0,
    accepted: 0,
    refused: 0,
    warnings: 0,
    byReason: {},
    problems: [],
    problemCount: 0,
    ok: true,
    bytes,
    seconds: 0,
    exceptionReportName: '',
  };
  let rules: RecordRules | undefined = target.kind ? rulesFor(target, target.kind.type) : undefined;
  const report = (problem: CheckProblem): void => {
    result.problemCount++;
    if (result.problems.length < maxProblems) result.problems.push(problem);
    const reasons = result.byReason;
    const reason =
      problem.message in reasons || Object.keys(reasons).length < MAX_REASONS
        ? problem.message
        : '(other reasons)';
    reasons[reason] = (reasons[reason] ?? 0) + 1;
    options.onProblem?.(problem, result);
  };

  const source = counted(createReadStream(path, { highWaterMark: 1 << 16 }), (read) =>
    options.onProgress?.(read, bytes),
  );
  for await (const item of readMarc(source, formatForName(target.name))) {
    if (!rules) {
      const type =
        item.kind === 'record' && HOLDINGS_TYPES.includes(item.record.leader[6] ?? '') ? 'lhr' : 'bib';
      rules = rulesFor(target, type);
      result.kind = type;
    }
    result.records++;
    const outcome = checkItem(item, result.records, rules);
    if (outcome.length === 0) {
      result.accepted++;
      continue;
    }
    const refused = outcome.some((p) => p.refused);
    if (refused) result.refused++;
    else {
      result.accepted++;
      result.warnings++;
    }
    for (const problem of outcome) report(problem);
  }
  rules ??= rulesFor(target, result.kind);
  if (target.checkName) result.name = checkTargetName(target, result.kind);
  // A file without a single record is an export gone wrong, not a clean one: Data Sync would
  // process nothing, so it fails the check (exit 3) instead of passing it.
  result.ok = result.records > 0 && result.refused === 0 && result.name?.ok !== false;
  result.exceptionReportName = reportFileName({
    senderSymbol: rules.symbols.sender,
    collectionSymbol: rules.symbols.target,
    collectionId: target.collectionId,
    kind: rules.lhr ? 'LHR' : 'BIB',
    receivedAt,
    originalName: target.name,
    report: rules.lhr ? 'LhrExceptionReport' : 'BibExceptionReport',
  });
  result.seconds = (performance.now() - started) / 1000;
  return result;

  function rulesFor(t: CheckTarget, type: CollectionType): RecordRules {
    const symbols = encodedSymbols(t);
    const lhr = type === 'lhr' || type === 'delete-lhr';
    const field = t.collection?.ocnField;
    return {
      lhr,
      locator: (offset) =>
        recordLocator(symbols.sender, t.collectionId, receivedAt, offset, lhr ? 'lhr' : 'bib'),
      symbols,
      bib: {
        ocnSource: field === '004' || field === '014' || field === undefined ? 'any' : field,
        lsnFields: t.collection?.lsnField ?? ['001'],
        block: t.collection?.validation.block,
      },
      lhrRules: {
        ocnField: field === '014' || field === '035' ? field : '004',
        collectionType: type === 'delete-lhr' ? 'delete-lhr' : 'lhr',
        translation: t.collection?.lhr.translation,
        // As processing: the sender's own symbol and those it uploads for.
        allowedSymbols: t.sender.institution
          ? [t.sender.institution.symbol, ...t.sender.institution.uploadsFor]
          : t.sender.symbol === undefined
            ? undefined
            : [t.sender.symbol],
      },
    };
  }
}

interface RecordRules {
  lhr: boolean;
  locator: (offset: number) => string;
  symbols: { sender: string; target: string };
  bib: { ocnSource: OcnSource; lsnFields: readonly string[]; block: BibRules['block'] };
  lhrRules: LhrRules;
}

const NONE: readonly CheckProblem[] = [];

/** The exceptions processing writes for one record whatever WorldCat holds. */
function checkItem(item: MarcReadItem, position: number, rules: RecordRules): readonly CheckProblem[] {
  // Built only for a record with a problem: most records have none.
  const locate = () => ({ record: position, offset: item.offset, locator: rules.locator(item.offset) });
  if (item.kind === 'error') {
    return [
      {
        ...locate(),
        lsn: '',
        ocn: '',
        library: '',
        type: 'Data Error',
        severity: '',
        message: item.code,
        detail: item.detail,
        refused: true,
      },
    ];
  }
  if (rules.lhr) {
    const decision = decideLhrRecord(item.record, rules.lhrRules);
    if (decision.ok) return NONE;
    return [{ ...locate(), ...decision.refusal, detail: '', refused: true }];
  }
  const check = checkBibRecord(item.record, rules.bib);
  if (check.exceptions.length === 0) return NONE;
  const refused = check.verdict !== 'ok';
  const at = locate();
  return check.exceptions.map((e) => ({
    ...at,
    lsn: check.lsn,
    ocn: check.incomingOcn,
    library: '',
    type: e.type,
    severity: e.severity,
    message: e.message,
    detail: '',
    refused,
  }));
}

/** Passes chunks through, reporting bytes read (a 'data' listener would make the stream flow unread). */
async function* counted(
  source: AsyncIterable<Buffer>,
  onRead: (read: number) => void,
): AsyncGenerator<Buffer> {
  let read = 0;
  for await (const chunk of source) {
    read += chunk.length;
    onRead(read);
    yield chunk;
  }
}

function fileSize(path: string): number {
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw new DataSyncError('IS_A_DIRECTORY', { action: 'check', path });
    return stat.size;
  } catch (error) {
    if (error instanceof DataSyncError) throw error;
    throw new DataSyncError('NOT_FOUND', {
      subject: `"${path}"`,
      reason: 'no such file (give the path of the exported MARC file to check)',
    });
  }
}
