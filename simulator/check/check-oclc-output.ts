import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { lhrExceptionLine } from '../../oclc/reports/lhr-report-lines.ts';
import { exceptionLine } from '../../oclc/reports/bib-report-lines.ts';
import type { CheckOutput } from './check-output.ts';
import { LineOutput } from './line-output.ts';

/**
 * The exception report OCLC would deliver for each file, written into `dir` under OCLC's name.
 * Columns WorldCat fills (the OCN it assigns) stay empty. The name carries the receipt time, known
 * once the file is read, so lines go to a working name first.
 */
export function checkOclcOutput(dir: string): CheckOutput & { written: string[] } {
  const written: string[] = [];
  let current: { out: LineOutput; path: string } | undefined;
  const open = (): { out: LineOutput; path: string } => {
    if (current) return current;
    const path = join(dir, `.datasync-check-${process.pid}-${written.length}.txt`);
    current = { out: new LineOutput(path), path };
    return current;
  };
  return {
    written,
    problem: (p, file) => {
      const lhr = file.kind === 'lhr' || file.kind === 'delete-lhr';
      const line = lhr
        ? lhrExceptionLine({ ...p, library: p.library })
        : exceptionLine({ ...p, incomingOcn: p.ocn, worldcatOcn: '' });
      open().out.write(`${line}\n`);
    },
    fileDone: (result) => {
      const { out, path } = open();
      out.close();
      current = undefined;
      const target = join(dir, result.exceptionReportName);
      renameSync(path, target);
      written.push(target);
    },
    close: () => undefined,
  };
}
