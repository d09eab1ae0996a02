import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseDuration } from '../oclc/duration.ts';
import { DataSyncError, EXIT_CODES } from '../oclc/error-catalogue.ts';
import { inputFile, outputFolder } from './user-paths.ts';
import { parseReport, reportKindOf } from '../oclc/reports/parse-report.ts';

export function reportsCommand(): Command {
  const reports = new Command('reports')
    .summary('fetch and read OCLC reports')
    .description('Fetch the reports for published files, and parse report files.');
  reports
    .command('fetch')
    .summary('download the reports of files this client published')
    .description(
      'List /xfer/metacoll/reports, download the reports that belong to files this client published ' +
        '(by collection ID and original file name, reruns _1, _2 included), once each, and print a ' +
        "summary per file in the reports' own words: records by action (match, create, field transfer, " +
        '…), exception rows by type and severity (Validation Error CRITICAL, Data Error, …), LBD errors; ' +
        'each rerun on its own line.',
    )
    .requiredOption('-p, --profile <file>', 'publishing profile (YAML)')
    .option('--out <dir>', 'where to save the reports', 'reports')
    .option(
      '--wait <duration>',
      'poll until every published file has its reports, up to this long (e.g. 30s, 6h)',
      '0s',
    )
    .option('--interval <duration>', 'time between polls with --wait', '5s')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nExit codes: 0 every published file has its reports, 1 some are still missing after --wait.\n',
    )
    .action(
      async (flags: { profile: string; out: string; wait: string; interval: string; json?: boolean }) => {
        const waitMs = duration(flags.wait, '--wait');
        const intervalMs = duration(flags.interval, '--interval');
        const { fetchReports, loadProfile } = await import('../client/index.ts');
        const profile = loadProfile(flags.profile, { env: process.env });
        outputFolder(flags.out, 'reports folder');
        const result = await fetchReports({
          profile,
          outDir: flags.out,
          waitMs,
          intervalMs,
          onPoll: flags.json
            ? undefined
            : (missing) => process.stderr.write(`waiting for the reports of ${missing} file(s)…\n`),
        });
        if (flags.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        else {
          process.stdout.write(`downloaded ${result.downloaded.length} report(s) to ${flags.out}\n`);
          for (const file of result.files) {
            if (!file.complete) {
              process.stdout.write(`${file.file}: no reports yet\n`);
              continue;
            }
            process.stdout.write(`${file.file}: ${describeSet(file)}\n`);
            if (file.runs.length > 1) {
              for (const run of file.runs)
                process.stdout.write(
                  `  ${run.rerun === null ? 'first run' : `rerun _${run.rerun}`}: ${describeSet(run)}\n`,
                );
            }
          }
        }
        if (!result.complete) process.exitCode = EXIT_CODES.failure;
      },
    );
  reports
    .command('parse')
    .summary('parse report files into JSON')
    .description(
      'Parse OCLC report files (all current kinds, and the legacy xrefrpt / unresxrefrpt names) into JSON.',
    )
    .argument('<files...>', 'report files')
    .action((files: string[]) => {
      const parsed = files.map((file) => {
        const kind = reportKindOf(basename(file));
        if (!kind) {
          throw new DataSyncError('INPUT_UNREADABLE', {
            path: file,
            reason: 'is not a known OCLC report name (…BibProcessingReport.txt, …xrefrpt.txt, …)',
          });
        }
        return { file, ...parseReport(kind, readFileSync(inputFile(file, 'report'), 'utf8')) };
      });
      process.stdout.write(`${JSON.stringify(parsed, null, 2)}\n`);
    });
  return reports;
}

/** A set's counts in OCLC's words: actions as the processing report writes them, exception types. */
function describeSet(set: {
  records: number;
  actions: Record<string, number>;
  exceptions: Record<string, number>;
  recordsWithExceptions: number;
  lbdErrors: number;
}): string {
  const list = (map: Record<string, number>): string =>
    Object.entries(map)
      .map(([key, n]) => `${key} ${n}`)
      .join(', ');
  const exceptions =
    set.recordsWithExceptions === 0
      ? 'no exceptions'
      : `exceptions on ${set.recordsWithExceptions} record(s) (${list(set.exceptions)})`;
  return `${set.records} records (${list(set.actions) || 'none processed'}); ${exceptions}; LBD errors ${set.lbdErrors}`;
}

function duration(text: string, flag: string): number {
  const ms = parseDuration(text);
  if (ms === undefined)
    throw new DataSyncError('PATH_INVALID', {
      action: `read ${flag}`,
      path: text,
      reason: 'write a duration like 30s, 5m or 6h',
    });
  return ms;
}
