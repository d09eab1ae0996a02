import { Command, InvalidArgumentError, Option } from 'commander';
import { once } from 'node:events';
import { createWriteStream, openSync, renameSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { onUserPath } from '../oclc/file-system-error.ts';
import { outputFile } from './user-paths.ts';
import { removeUnlessFinished, stopOnSignal } from './interrupts.ts';
import { DataSyncError } from '../oclc/error-catalogue.ts';
import { BIB_DEFECTS, LHR_DEFECTS } from '../oclc/marc/generator-defects.ts';

interface GenerateFlags {
  kind: 'bib' | 'lhr';
  count: number;
  seed: number;
  defects: Record<string, number>;
  copiesPerOcn: number;
  symbol: string;
  out: string;
}

export function marcCommand(): Command {
  const marc = new Command('marc')
    .summary('make MARC test data')
    .description('Make MARC test data for the simulator.');
  marc
    .command('generate')
    .summary('write deterministic synthetic MARC records')
    .description(
      'Write synthetic records as ISO 2709; the same seed always gives the same file. ' +
        'bib: 60% with an OCN (035), 25% full records without one (WorldCat creates them), 5% too thin ' +
        '(unresolved), 10% deletes (Leader/05 d). lhr: MFHD records, --copies-per-ocn per OCN (in 004), ' +
        'each with 007, 008, one 852 and an 876 barcode. --defects plants known failures.',
    )
    .addOption(new Option('--kind <kind>', 'record kind').choices(['bib', 'lhr']).default('bib'))
    .requiredOption('--count <n>', 'number of records', wholeNumber)
    .option('--seed <n>', 'seed for the pseudo-random choices', wholeNumber, 1)
    .option('--defects <list>', 'defects to plant, NAME=COUNT,... (see below)', parseDefects, {})
    .option('--copies-per-ocn <k>', 'lhr: holdings records per OCN', wholeNumber, 2)
    .option('--symbol <symbol>', 'lhr: the institution symbol written in 852 $a', 'PUL')
    .requiredOption('--out <file>', 'file to write (.mrc)')
    .addHelpText('after', helpText())
    .action(async (flags: GenerateFlags) => {
      const known: Record<string, string> = flags.kind === 'lhr' ? LHR_DEFECTS : BIB_DEFECTS;
      const unknown = Object.keys(flags.defects).find((name) => !(name in known));
      if (unknown) {
        throw new DataSyncError('PATH_INVALID', {
          action: 'plant defects',
          path: unknown,
          reason: `unknown ${flags.kind} defect; known: ${Object.keys(known).join(', ')}`,
        });
      }
      // The generators load marcjs: imported here, so `--help` stays light.
      const { generateBibRecords } = await import('../oclc/marc/generate-bib-records.ts');
      const { generateLhrRecords } = await import('../oclc/marc/generate-lhr-records.ts');
      const records =
        flags.kind === 'lhr'
          ? generateLhrRecords({
              count: flags.count,
              seed: flags.seed,
              symbol: flags.symbol,
              copiesPerOcn: flags.copiesPerOcn,
              defects: flags.defects,
            })
          : generateBibRecords({ count: flags.count, seed: flags.seed, defects: flags.defects });
      const written = await writeRecords(records, flags);
      process.stdout.write(`wrote ${written} ${flags.kind} records to ${flags.out}\n`);
    });
  return marc;
}

/**
 * Writes the records to a temporary file beside `--out` and renames it into place at the end, so
 * an interrupted run (Ctrl+C, SIGTERM) leaves neither a partial file nor a damaged earlier one.
 */
async function writeRecords(records: Iterable<{ bytes: Buffer }>, flags: GenerateFlags): Promise<number> {
  outputFile(flags.out, 'output file');
  const partial = join(dirname(flags.out), `.${basename(flags.out)}.${process.pid}.partial`);
  const target = { path: flags.out, use: 'write', what: 'output file' } as const;
  const unfinished = removeUnlessFinished(partial);
  let written = 0;
  const stop = stopOnSignal(() => `after ${written} of ${flags.count} records; ${flags.out} was not written`);
  // Opened synchronously so a path that cannot be written is reported before any record is made.
  const out = createWriteStream('', { fd: onUserPath(target, () => openSync(partial, 'w')) });
  for (const record of records) {
    if (!out.write(record.bytes)) await once(out, 'drain');
    written++;
  }
  out.end();
  await once(out, 'finish');
  onUserPath(target, () => renameSync(partial, flags.out));
  unfinished.finished();
  stop();
  return written;
}

function helpText(): string {
  const list = (defects: Record<string, string>): string =>
    Object.entries(defects)
      .map(([name, what]) => `  ${name.padEnd(14)} ${what}`)
      .join('\n');
  return (
    `\nbib defects:\n${list(BIB_DEFECTS)}\n\nlhr defects:\n${list(LHR_DEFECTS)}\n\nExamples:\n` +
    '  $ datasync-sim marc generate --count 1000 --seed 7 --defects sparse=3,truncated=1 --out 1012676.pul.test.mrc\n' +
    '  $ datasync-sim marc generate --kind lhr --count 300 --copies-per-ocn 3 --symbol PUL --out 1012677.pul.lhr.mrc\n'
  );
}

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('give a whole number');
  return n;
}

function parseDefects(value: string): Record<string, number> {
  const defects: Record<string, number> = {};
  for (const part of value.split(',').filter(Boolean)) {
    const [name = '', count = '1'] = part.split('=');
    defects[name] = wholeNumber(count);
  }
  return defects;
}
