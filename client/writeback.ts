import { readdirSync, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { localSystemNumber, normalizeOcn } from '../oclc/datasync/ocn.ts';
import { DataSyncError } from '../oclc/error-catalogue.ts';
import { readMarc } from '../oclc/marc/read-marc.ts';
import type { MarcField } from '../oclc/marc/marc-record.ts';
import { subfieldsOf } from '../oclc/marc/marc-record.ts';
import { writeIso2709 } from '../oclc/marc/write-iso2709.ts';
import { parseReport, reportKindOf } from '../oclc/reports/parse-report.ts';
import { ALL_RECORDS, type LsnFilter } from './lsn-filter.ts';

export interface WritebackResult {
  records: number;
  added: number;
  replaced: number;
  unchanged: number;
  notInReports: number;
  /** Records the reports name that --skip or --only left as they were. */
  skipped: number;
  exceptions: { lsn: string; kind: 'unresolved' | 'exception'; ocn: string; message: string }[];
  output: Buffer;
}

/**
 * Writes the OCLC numbers from cross-reference reports back into the local records, as libraries'
 * own scripts do: add `035 $a (OCoLC)<OCN>`, skip records that already carry it, replace an older
 * OCLC number (keeping it in $z) when WorldCat merged it. Fields are changed as bytes: only the
 * 035 is new; the directory and lengths are recomputed and every other field's bytes are copied.
 * Records the filter leaves out (`--skip`, `--only`) are copied as they are, and so are their
 * exceptions left out of the list.
 */
export async function writeback(
  reportsDir: string,
  recordsFile: string,
  filter: LsnFilter = ALL_RECORDS,
): Promise<WritebackResult> {
  const { crossRef, exceptions: all } = readReports(reportsDir);
  const exceptions = filter === ALL_RECORDS ? all : all.filter((e) => filter.allows(e.lsn));
  const result: WritebackResult = {
    records: 0,
    added: 0,
    replaced: 0,
    unchanged: 0,
    notInReports: 0,
    skipped: 0,
    exceptions,
    output: Buffer.alloc(0),
  };
  const out: Buffer[] = [];
  // The file is kept whole so the bytes between and after records (padding some systems write,
  // zebra's sample ends with three) are copied as they are.
  const input = readFileSync(recordsFile);
  let copied = 0;
  for await (const item of readMarc(Readable.from([input]), 'iso2709')) {
    if (item.kind === 'error') {
      throw new DataSyncError('INPUT_UNREADABLE', {
        path: recordsFile,
        reason: `the record at byte ${item.offset} cannot be read (${item.detail})`,
      });
    }
    result.records++;
    const { record } = item;
    out.push(input.subarray(copied, item.offset));
    copied = item.offset + record.bytes.length;
    const lsn = localSystemNumber(record, LSN_FIELDS) ?? '';
    const ocn = crossRef.get(lsn);
    if (!ocn || !filter.allows(lsn)) {
      if (ocn) result.skipped++;
      else result.notInReports++;
      out.push(record.bytes);
      continue;
    }
    const fields = [...record.fields];
    const existing = fields.findIndex(
      (f) =>
        f.tag === '035' &&
        subfieldsOf(f).some((s) => s.code === 'a' && s.value.toString('latin1').startsWith('(OCoLC)')),
    );
    const current = existing === -1 ? undefined : oclcNumber(fields[existing]);
    if (current === ocn) {
      result.unchanged++;
      out.push(record.bytes);
      continue;
    }
    const field035 = (old?: string): MarcField => ({
      tag: '035',
      data: Buffer.from(`  \x1fa(OCoLC)${ocn}${old ? `\x1fz(OCoLC)${old}` : ''}`, 'latin1'),
    });
    if (existing !== -1) {
      fields[existing] = field035(current);
      result.replaced++;
    } else {
      const at = fields.findIndex((f) => f.tag > '035');
      fields.splice(at === -1 ? fields.length : at, 0, field035());
      result.added++;
    }
    out.push(writeIso2709(record.leader, fields));
  }
  out.push(input.subarray(copied));
  result.output = Buffer.concat(out);
  return result;
}

/** Where the reports' LSNs come from: Alma's MMS ID in 001, as the simulator's default. */
const LSN_FIELDS = ['001'];

function oclcNumber(field: MarcField | undefined): string | undefined {
  const value = field
    ? subfieldsOf(field)
        .find((s) => s.code === 'a')
        ?.value.toString('latin1')
    : undefined;
  return value === undefined ? undefined : normalizeOcn(value);
}

function readReports(dir: string): {
  crossRef: Map<string, string>;
  exceptions: WritebackResult['exceptions'];
} {
  const crossRef = new Map<string, string>();
  const exceptions: WritebackResult['exceptions'] = [];
  for (const name of readdirSync(dir).sort()) {
    const kind = reportKindOf(name);
    if (!kind) continue;
    const report = parseReport(kind, readFileSync(join(dir, name), 'utf8'));
    if (report.kind === 'BibCrossRefReport') for (const row of report.rows) crossRef.set(row.lsn, row.ocn);
    if (report.kind === 'BibUnresolvedCrossRefReport') {
      for (const row of report.rows)
        exceptions.push({
          lsn: row.lsn,
          kind: 'unresolved',
          ocn: row.ocn,
          message: 'unresolved in WorldCat (provisional number)',
        });
    }
    if (report.kind === 'BibExceptionReport') {
      for (const row of report.rows)
        exceptions.push({
          lsn: row.lsn,
          kind: 'exception',
          ocn: row.worldcatOcn,
          message: [row.type, row.severity, row.message].filter(Boolean).join(': '),
        });
    }
  }
  // A rerun delivers a second report set naming the same records: one record needs one person.
  const seen = new Set<string>();
  const distinct = exceptions.filter((e) => {
    const key = `${e.lsn}\t${e.kind}\t${e.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
  return { crossRef, exceptions: distinct };
}

/** The exceptions as CSV: lsn, kind, ocn, message. */
export function exceptionsCsv(rows: WritebackResult['exceptions']): string {
  const cell = (v: string): string => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return (
    ['lsn,kind,ocn,message', ...rows.map((r) => [r.lsn, r.kind, r.ocn, r.message].map(cell).join(','))].join(
      '\n',
    ) + '\n'
  );
}
