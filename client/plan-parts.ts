import { createHash } from 'node:crypto';
import { normalizeOcn } from '../oclc/datasync/ocn.ts';
import type { MarcRecord } from '../oclc/marc/marc-record.ts';
import { MARCXML_HEAD, MARCXML_TAIL, writeMarcxmlRecord } from '../oclc/marc/write-marcxml.ts';
import { checkUploadName, describeNameCheck } from '../oclc/upload-name.ts';
import { DataSyncError } from '../oclc/error-catalogue.ts';

export interface InputRecord {
  record: MarcRecord;
  /** The record's bytes as they will be sent (ISO 2709), or its MARCXML text. */
  bytes: Buffer;
  file: string;
}

export interface PlannedPart {
  name: string;
  type: 'new' | 'delete';
  records: number;
  data: Buffer;
  sha256: string;
}

export interface PartPlan {
  parts: PlannedPart[];
  warnings: string[];
}

export interface PlanOptions {
  collectionId: string;
  encodedSymbol: string;
  symbol: string;
  label: string;
  jobId: string;
  kind: 'bib' | 'lhr';
  format: 'iso2709' | 'marcxml';
  maxFileSize: number;
  maxRecordsPerFile: number;
}

/**
 * Splits records into upload parts the way Alma does: deletes (Leader/05 d) apart from the rest,
 * each part within the size and record limits. LHRs are grouped by OCN and a group is never split,
 * because OCLC replaces all of an institution's LHRs for an OCN with the ones in one file.
 */
export function planParts(records: readonly InputRecord[], options: PlanOptions): PartPlan {
  const warnings: string[] = [];
  const units = options.kind === 'lhr' ? lhrGroups(records, warnings) : records.map((r) => [r]);
  const byType: Record<'new' | 'delete', InputRecord[][]> = { new: [], delete: [] };
  for (const unit of units) {
    const isDelete = options.kind === 'bib' && unit[0]?.record.leader[5] === 'd';
    byType[isDelete ? 'delete' : 'new'].push(unit);
  }
  const parts: PlannedPart[] = [];
  for (const type of ['new', 'delete'] as const) {
    const chunks = chunk(byType[type], options, warnings);
    chunks.forEach((records, index) =>
      parts.push(buildPart(records, type, chunks.length > 1 ? index + 1 : 0, options)),
    );
  }
  return { parts, warnings };
}

function buildPart(
  records: InputRecord[],
  type: 'new' | 'delete',
  number: number,
  options: PlanOptions,
): PlannedPart {
  const ext = options.format === 'marcxml' ? 'xml' : 'mrc';
  const job = number > 0 ? `${options.jobId}-${number}` : options.jobId;
  const name = `${options.collectionId}.${options.encodedSymbol}.${options.label}_${job}_${type}.${ext}`;
  const check = checkUploadName(name, {
    symbols: [options.symbol],
    collectionIds: [options.collectionId],
    extensions: [ext],
  });
  if (!check.ok)
    throw new DataSyncError('PATH_INVALID', {
      action: 'name the upload',
      path: name,
      reason: describeNameCheck(check),
    });
  const data =
    options.format === 'marcxml'
      ? Buffer.from(
          `${MARCXML_HEAD}${records.map((r) => r.bytes.toString('utf8')).join('\n')}${MARCXML_TAIL}`,
          'utf8',
        )
      : Buffer.concat(records.map((r) => r.bytes));
  return {
    name,
    type,
    records: records.length,
    data,
    sha256: createHash('sha256').update(data).digest('hex'),
  };
}

function chunk(units: InputRecord[][], options: PlanOptions, warnings: string[]): InputRecord[][] {
  const parts: InputRecord[][] = [];
  let current: InputRecord[] = [];
  let size = 0;
  for (const unit of units) {
    const unitSize = unit.reduce((n, r) => n + r.bytes.length, 0);
    const tooBig =
      current.length + unit.length > options.maxRecordsPerFile || size + unitSize > options.maxFileSize;
    if (current.length > 0 && tooBig) {
      parts.push(current);
      current = [];
      size = 0;
    }
    if (unit.length > options.maxRecordsPerFile || unitSize > options.maxFileSize) {
      warnings.push(
        `the ${unit.length} holdings records of one OCN exceed the part limits; they are kept together in one part anyway`,
      );
    }
    current.push(...unit);
    size += unitSize;
  }
  if (current.length > 0) parts.push(current);
  return parts;
}

/** LHRs grouped by OCN (004, else 014 $a, else 035 $a (OCoLC)), in order of first appearance. */
function lhrGroups(records: readonly InputRecord[], warnings: string[]): InputRecord[][] {
  const groups = new Map<string, InputRecord[]>();
  const files = new Map<string, Set<string>>();
  records.forEach((r, index) => {
    const ocn = lhrOcn(r.record) ?? `no-ocn-${index}`;
    groups.set(ocn, [...(groups.get(ocn) ?? []), r]);
    files.set(ocn, (files.get(ocn) ?? new Set()).add(r.file));
  });
  for (const [ocn, inputs] of files) {
    if (inputs.size > 1) {
      warnings.push(
        `OCN ${ocn} has holdings records in ${inputs.size} input files (${[...inputs].join(', ')}); OCLC replaces ALL of your LHRs for an OCN with the ones in one file, so send every copy of it together or some will be deleted`,
      );
    }
  }
  return [...groups.values()];
}

function lhrOcn(record: MarcRecord): string | undefined {
  const raw =
    record.control('004') ??
    record.first('014', 'a') ??
    record.values('035', 'a').find((v) => v.startsWith('(OCoLC)'));
  return raw === undefined ? undefined : normalizeOcn(raw);
}

export function marcxmlBytes(record: MarcRecord): Buffer {
  return Buffer.from(writeMarcxmlRecord(record), 'utf8');
}
