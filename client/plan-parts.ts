import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSyncError } from '../oclc/error-catalogue.ts';
import { onUserPath } from '../oclc/file-system-error.ts';
import { MARCXML_HEAD, MARCXML_TAIL } from '../oclc/marc/write-marcxml.ts';
import { checkUploadName, describeNameCheck } from '../oclc/upload-name.ts';
import { LhrGroups } from './lhr-groups.ts';
import { PartBytes } from './part-bytes.ts';
import { inputFormat, readInputRecords, type ReadOptions } from './read-input-records.ts';
import { SpoolFile } from './spool-file.ts';

export interface PlannedPart {
  name: string;
  type: 'new' | 'delete';
  records: number;
  /** Bytes of the part as it will be sent. */
  size: number;
  /** Where those bytes are: ranges of the input files, or a spool file removed with the plan. */
  bytes: PartBytes;
  /** SHA-256 (hex), when planning already computed it (spooled parts). */
  sha256?: string;
}

export interface PartPlan extends Disposable {
  parts: PlannedPart[];
  warnings: string[];
}

export interface PlanOptions extends ReadOptions {
  collectionId: string;
  encodedSymbol: string;
  symbol: string;
  label: string;
  jobId: string;
  kind: 'bib' | 'lhr';
  maxFileSize: number;
  maxRecordsPerFile: number;
}

/**
 * Splits the input files into upload parts the way Alma does, in one streaming pass: deletes
 * (Leader/05 d) apart from the rest, each part within the size and record limits. LHRs are
 * grouped by OCN and a group is never split, because OCLC replaces all of an institution's LHRs
 * for an OCN with the ones in one file. Memory does not grow with the input: a bib part from
 * ISO 2709 is kept as ranges of the input files (sent from there, nothing copied), and MARCXML
 * and LHR parts are written to spool files in a temporary folder as they fill.
 */
export async function planParts(files: readonly string[], options: PlanOptions): Promise<PartPlan> {
  const format = inputFormat(files);
  // The spool folder is made only when something is spooled (MARCXML, LHR), and removed with the
  // plan, or when the process exits otherwise (an uncaught error, process.exit).
  let made: string | undefined;
  const removeOnExit = (): void => {
    if (made) rmSync(made, { recursive: true, force: true });
  };
  const dir = (): string => {
    if (made) return made;
    made = onUserPath({ path: tmpdir(), use: 'write', what: 'temporary folder (TMPDIR)' }, () =>
      mkdtempSync(join(tmpdir(), 'datasync-publish-')),
    );
    process.once('exit', removeOnExit);
    return made;
  };
  const warnings: string[] = [];
  const dispose = (): void => {
    removeOnExit();
    process.off('exit', removeOnExit);
    made = undefined;
  };
  let lhr: LhrGroups | undefined;
  try {
    // A pipe or other stream can be read only once, so its records are spooled like MARCXML's
    // rather than sent again from the input (`publish <(zcat export.mrc.gz)` works).
    const spool = format === 'marcxml' || options.kind === 'lhr' || files.some(readOnlyOnce);
    const writers = {
      new: new PartWriter(dir, 'new', format, spool, options, warnings),
      delete: new PartWriter(dir, 'delete', format, spool, options, warnings),
    };
    let read = 0;
    if (options.kind === 'lhr') {
      const groups = (lhr = await LhrGroups.open(dir()));
      await readInputRecords(files, format, options, (input) => {
        read++;
        groups.add(input);
      });
      for (const { ocn, files: inputs } of groups.spread())
        warnings.push(
          `OCN ${ocn} has holdings records in ${inputs.length} input files (${inputs.join(', ')}); OCLC replaces ALL of your LHRs for an OCN with the ones in one file, so send every copy of it together or some will be deleted`,
        );
      for (const group of groups.groups()) writers.new.add(group.map((bytes) => ({ bytes })));
    } else {
      await readInputRecords(files, format, options, (input) => {
        read++;
        writers[input.record.leader[5] === 'd' ? 'delete' : 'new'].add([input]);
      });
    }
    if (read === 0)
      throw new DataSyncError('INPUT_UNREADABLE', {
        path: files.join(', '),
        reason: 'holds no records to publish',
      });
    return {
      parts: [...writers.new.finish(), ...writers.delete.finish()],
      warnings,
      [Symbol.dispose]: dispose,
    };
  } catch (error) {
    dispose();
    throw error;
  } finally {
    lhr?.close();
  }
}

interface SealedPart {
  records: number;
  size: number;
  bytes: PartBytes;
  sha256?: string;
}

/** A record to place: its bytes, and for ranges of the input, where they are. */
interface UnitRecord {
  bytes: Buffer;
  file?: string;
  offset?: number;
}

/** The parts of one type, filled in order; a part is closed when the next unit would not fit. */
class PartWriter {
  readonly #dir: () => string;
  readonly #type: 'new' | 'delete';
  readonly #format: 'iso2709' | 'marcxml';
  /** Write parts to spool files; otherwise keep them as ranges of the input files. */
  readonly #spooled: boolean;
  readonly #options: PlanOptions;
  readonly #warnings: string[];
  readonly #sealed: SealedPart[] = [];
  #spool: SpoolFile | undefined;
  #ranges: PartBytes | undefined;
  #records = 0;
  /** Record bytes in the current part: what the limits count (not MARCXML's wrapper). */
  #recordBytes = 0;

  constructor(
    dir: () => string,
    type: 'new' | 'delete',
    format: 'iso2709' | 'marcxml',
    spooled: boolean,
    options: PlanOptions,
    warnings: string[],
  ) {
    this.#dir = dir;
    this.#type = type;
    this.#format = format;
    this.#spooled = spooled;
    this.#options = options;
    this.#warnings = warnings;
  }

  /** Adds a unit (one bib record, or all LHRs of an OCN) that must stay in one part. */
  add(unit: readonly UnitRecord[]): void {
    const { maxRecordsPerFile, maxFileSize } = this.#options;
    let unitSize = 0;
    for (const record of unit) unitSize += record.bytes.length;
    const tooBig =
      this.#records + unit.length > maxRecordsPerFile || this.#recordBytes + unitSize > maxFileSize;
    if (this.#records > 0 && tooBig) this.#seal();
    if (unit.length > maxRecordsPerFile || unitSize > maxFileSize) {
      this.#warnings.push(
        `the ${unit.length} holdings records of one OCN exceed the part limits; they are kept together in one part anyway`,
      );
    }
    for (const record of unit) {
      if (this.#spooled) this.#toSpool(record.bytes);
      else (this.#ranges ??= new PartBytes()).add(record.file ?? '', record.offset ?? 0, record.bytes.length);
      this.#records++;
    }
    this.#recordBytes += unitSize;
  }

  /** Closes the last part and names them all (a second part of a type numbers every one). */
  finish(): PlannedPart[] {
    this.#seal();
    return this.#sealed.map((part, index) => ({
      name: partName(this.#type, this.#sealed.length > 1 ? index + 1 : 0, this.#format, this.#options),
      type: this.#type,
      ...part,
    }));
  }

  #toSpool(bytes: Buffer): void {
    if (!this.#spool) {
      this.#spool = new SpoolFile(join(this.#dir(), `${this.#type}-${this.#sealed.length + 1}`));
      if (this.#format === 'marcxml') this.#spool.write(Buffer.from(MARCXML_HEAD, 'utf8'));
    } else if (this.#format === 'marcxml') this.#spool.write(NEWLINE);
    this.#spool.write(bytes);
  }

  #seal(): void {
    const records = this.#records;
    const spool = this.#spool;
    if (spool) {
      if (this.#format === 'marcxml') spool.write(Buffer.from(MARCXML_TAIL, 'utf8'));
      const size = spool.size;
      const sha256 = spool.close();
      const bytes = new PartBytes();
      bytes.add(spool.path, 0, size);
      this.#sealed.push({ records, size, bytes, sha256 });
    } else if (this.#ranges) {
      this.#sealed.push({ records, size: this.#ranges.size, bytes: this.#ranges });
    }
    this.#spool = undefined;
    this.#ranges = undefined;
    this.#records = 0;
    this.#recordBytes = 0;
  }
}

const NEWLINE = Buffer.from('\n');

function partName(
  type: 'new' | 'delete',
  number: number,
  format: 'iso2709' | 'marcxml',
  options: PlanOptions,
): string {
  const ext = format === 'marcxml' ? 'xml' : 'mrc';
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
  return name;
}

/** True for an input that is not a regular file (a FIFO, a device, /dev/stdin): it reads once. */
function readOnlyOnce(file: string): boolean {
  return statSync(file, { throwIfNoEntry: false })?.isFile() === false;
}
