import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { rerunReportName } from '../../oclc/reports/bib-report-lines.ts';

/**
 * Puts finished reports into each reports folder. Each copy lands under a temporary name and is
 * renamed, so a client listing the folder never sees half a report. Idempotent: safe to repeat
 * after a crash between commit and delivery. A rerun's reports carry its counter after the
 * uploaded name, as OCLC's do.
 */
export function deliverReports(fromDir: string, toDirs: readonly string[], rerun?: number): string[] {
  if (!existsSync(fromDir)) return [];
  const names = readdirSync(fromDir)
    .filter((n) => n.endsWith('.txt'))
    .sort();
  for (const dir of toDirs) {
    mkdirSync(dir, { recursive: true });
    for (const name of names) {
      const delivered = rerun === undefined ? name : rerunReportName(name, rerun);
      const temp = join(dir, `.${delivered}.partial`);
      copyFileSync(join(fromDir, name), temp);
      renameSync(temp, join(dir, delivered));
    }
  }
  return names.map((name) => (rerun === undefined ? name : rerunReportName(name, rerun)));
}
