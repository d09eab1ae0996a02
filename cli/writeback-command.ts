import { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { onUserPath } from '../oclc/file-system-error.ts';
import { inputFile, inputFolder, outputFile } from './user-paths.ts';

export function writebackCommand(): Command {
  return new Command('writeback')
    .summary('write OCLC numbers from the reports back into your records')
    .description(
      'Add 035 $a (OCoLC)<OCN> to each record whose LSN (001) is in a cross-reference report, skip ' +
        'records that already carry it, replace an older OCLC number (kept in $z) when WorldCat merged it, ' +
        'and write the unresolved records and exceptions to a CSV. Only the 035 changes: MARC-8 records ' +
        'stay MARC-8 byte for byte.',
    )
    .requiredOption('--reports <dir>', 'folder of downloaded reports (reports fetch --out)')
    .requiredOption('--records <file>', 'the records as exported (ISO 2709)')
    .requiredOption('--out <file>', 'where to write the updated records')
    .option('--exceptions <file>', 'CSV of unresolved records and exceptions', 'writeback-exceptions.csv')
    .option(
      '--skip <lsn-file>',
      'leave these records as they are: one LSN a line (or the first cell of a CSV line, e.g. a previous exceptions CSV)',
    )
    .option('--only <lsn-file>', 'change only these records (same format as --skip; both may be given)')
    .option('--json', 'print the counts as JSON')
    .action(
      async (flags: {
        reports: string;
        records: string;
        out: string;
        exceptions: string;
        skip?: string;
        only?: string;
        json?: boolean;
      }) => {
        inputFolder(flags.reports, 'reports folder');
        inputFile(flags.records, 'records file');
        if (flags.skip !== undefined) inputFile(flags.skip, '--skip list');
        if (flags.only !== undefined) inputFile(flags.only, '--only list');
        outputFile(flags.out, 'output file');
        outputFile(flags.exceptions, 'exceptions file');
        const { exceptionsCsv, readLsnFilter, writeback } = await import('../client/index.ts');
        const filter = readLsnFilter({ skip: flags.skip, only: flags.only });
        const result = await writeback(flags.reports, flags.records, filter);
        const write = (path: string, what: string, data: Buffer | string): void =>
          onUserPath({ path, use: 'write', what }, () => writeFileSync(path, data));
        write(flags.out, 'output file', result.output);
        write(flags.exceptions, 'exceptions file', exceptionsCsv(result.exceptions));
        const { records, added, replaced, unchanged, notInReports, skipped } = result;
        const counts = {
          records,
          added,
          replaced,
          unchanged,
          notInReports,
          skipped,
          exceptions: result.exceptions.length,
        };
        if (flags.json)
          process.stdout.write(`${JSON.stringify(counts, null, 2)}
`);
        else {
          process.stdout.write(
            `${result.records} records: ${result.added} 035 added, ${result.replaced} replaced, ${result.unchanged} already had it, ` +
              `${result.notInReports} not in the reports${skipped > 0 ? `, ${skipped} skipped (--skip/--only)` : ''}; ` +
              `${result.exceptions.length} exception(s) in ${flags.exceptions}\n`,
          );
        }
      },
    );
}
