import type { CheckOutput } from './check-output.ts';
import type { CheckProblem, CheckResult } from './check-result.ts';
import { LineOutput } from './line-output.ts';

/** One line per problem as it is found, then each file's summary. */
export function checkTextOutput(out: LineOutput): CheckOutput {
  return {
    problem: (p, file) => out.write(`${problemLine(p, file.path)}\n`),
    fileDone: (result) => out.write(summaryText(result)),
    close: (results) => {
      if (results.length > 1) {
        const bad = results.filter((r) => !r.ok).length;
        out.write(`${results.length} files checked, ${bad} would be refused in part or whole\n`);
      }
      out.close();
    },
  };
}

export function problemLine(p: CheckProblem, path: string): string {
  const where = `${path}: record ${p.record} (byte ${p.offset})`;
  const ids = [p.lsn && `LSN ${p.lsn}`, p.ocn && `OCN ${p.ocn}`, p.library && `852 $b ${p.library}`]
    .filter(Boolean)
    .join(' ');
  const what = [p.type, p.severity].filter(Boolean).join(' ');
  const detail = p.detail ? ` (${p.detail})` : '';
  return `${where}${ids ? ` ${ids}` : ''}: ${p.refused ? 'refused' : 'warning'}: ${what}: ${p.message}${detail}`;
}

/** Why a file with no record fails the check. */
export const EMPTY_FILE =
  'no MARC record in this file: Data Sync would process nothing; check that the export wrote its records';

export function summaryText(r: CheckResult): string {
  const lines = [
    `${r.path}: ${r.kind} file, ${r.records} records read: ${r.accepted} would be accepted` +
      `${r.warnings ? ` (${r.warnings} with warnings)` : ''}, ${r.refused} would be refused`,
  ];
  if (r.records === 0) lines.push(`  ${EMPTY_FILE}`);
  for (const [reason, count] of Object.entries(r.byReason).sort((a, b) => b[1] - a[1]))
    lines.push(`  ${String(count).padStart(8)}  ${reason}`);
  if (r.name?.message) lines.push(`  name "${r.name.name}" would be refused: ${r.name.message}`);
  else if (r.name) lines.push(`  name "${r.name.name}" follows the rules`);
  return `${lines.join('\n')}\n`;
}
