import { Command, InvalidArgumentError, Option } from 'commander';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { BIB_DEFECTS, generateBibRecords, type BibDefect } from '../../oclc/marc/generate-bib-records.ts';

interface GenerateFlags {
  kind: 'bib';
  count: number;
  seed: number;
  defects: Partial<Record<BibDefect, number>>;
  out: string;
}

export function marcCommand(): Command {
  const marc = new Command('marc')
    .summary('make and inspect MARC test data')
    .description('Make MARC test data for the simulator.');
  marc
    .command('generate')
    .summary('write deterministic synthetic MARC records')
    .description(
      'Write synthetic bib records as ISO 2709: 60% with an OCN (035), 25% full records without one ' +
        '(WorldCat creates them), 5% too thin (unresolved), 10% deletes (Leader/05 d). The same seed ' +
        'always gives the same file. --defects plants known failures.',
    )
    .addOption(new Option('--kind <kind>', 'record kind').choices(['bib']).default('bib'))
    .requiredOption('--count <n>', 'number of records', positiveInteger)
    .option('--seed <n>', 'seed for the pseudo-random choices', positiveInteger, 1)
    .option(
      '--defects <list>',
      `defects to plant, NAME=COUNT,... (${Object.keys(BIB_DEFECTS).join(', ')})`,
      parseDefects,
      {},
    )
    .requiredOption('--out <file>', 'file to write (.mrc)')
    .addHelpText(
      'after',
      `\nDefects:\n${Object.entries(BIB_DEFECTS)
        .map(([name, what]) => `  ${name.padEnd(14)} ${what}`)
        .join(
          '\n',
        )}\n\nExample:\n  $ datasync-sim marc generate --count 1000 --seed 7 --defects sparse=3,truncated=1 --out 1012676.pul.test.mrc\n`,
    )
    .action(async (flags: GenerateFlags) => {
      const out = createWriteStream(flags.out);
      let written = 0;
      for (const record of generateBibRecords({
        count: flags.count,
        seed: flags.seed,
        defects: flags.defects,
      })) {
        if (!out.write(record.bytes)) await once(out, 'drain');
        written++;
      }
      out.end();
      await once(out, 'finish');
      process.stdout.write(`wrote ${written} records to ${flags.out}\n`);
    });
  return marc;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('give a whole number');
  return n;
}

function parseDefects(value: string): Partial<Record<BibDefect, number>> {
  const defects: Partial<Record<BibDefect, number>> = {};
  for (const part of value.split(',').filter(Boolean)) {
    const [name = '', count = '1'] = part.split('=');
    if (!(name in BIB_DEFECTS)) {
      throw new InvalidArgumentError(
        `unknown defect "${name}"; known: ${Object.keys(BIB_DEFECTS).join(', ')}`,
      );
    }
    defects[name as BibDefect] = positiveInteger(count);
  }
  return defects;
}
