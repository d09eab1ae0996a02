import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { rerunReportName } from '../../oclc/reports/bib-report-lines.ts';
import { NAME_MAX } from '../../oclc/reports/report-name-limit.ts';

/**
 * Puts finished reports into each reports folder. Each copy lands under a temporary name and is
 * renamed, so a client listing the folder never sees half a report. Idempotent: safe to repeat
 * after a crash between commit and delivery. A rerun's reports carry its counter after the
 * uploaded name, as OCLC's do.
 */
export function deliverReports(fromDir: string, toDirs: readonly string[], rerun?: number): string[] {
  if (!existsSync(fromDir)) return [];
  // The processing report lands last: clients (ours included) take it as the sign that a file's
  // reports are complete, and one that came first let a client fetch the set without the rest.
  const names = readdirSync(fromDir)
    .filter((n) => n.endsWith('.txt'))
    .sort((a, b) => Number(isProcessingReport(a)) - Number(isProcessingReport(b)) || a.localeCompare(b));
  for (const dir of toDirs) {
    mkdirSync(dir, { recursive: true });
    for (const name of names) {
      const delivered = rerun === undefined ? name : rerunReportName(name, rerun);
      const temp = join(dir, temporaryName(delivered));
      copyFileSync(join(fromDir, name), temp);
      renameSync(temp, join(dir, delivered));
    }
  }
  return names.map((name) => (rerun === undefined ? name : rerunReportName(name, rerun)));
}

/** `.NAME.partial`, or a hash of the name when that would not fit NAME_MAX (a long upload name). */
function temporaryName(name: string): string {
  const temp = `.${name}.partial`;
  if (Buffer.byteLength(temp) <= NAME_MAX) return temp;
  return `.${createHash('sha256').update(name).digest('hex').slice(0, 16)}.partial`;
}

function isProcessingReport(name: string): boolean {
  return /\.(Bib|Lhr)ProcessingReport\.txt$/.test(name);
}
