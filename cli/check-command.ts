import type cliProgress from 'cli-progress';
import { outputFile, outputFolder } from './user-paths.ts';
import { removeUnlessFinished, stopOnSignal } from './interrupts.ts';
import { Command, Option } from 'commander';
import { existsSync } from 'node:fs';
import { DataSyncError, EXIT_CODES } from '../oclc/error-catalogue.ts';
// Types only at the top: the checker loads when the command runs, so `--help` stays fast.
import type { CheckOutput, CheckResult, CollectionType } from '../simulator/index.ts';

type Simulator = typeof import('../simulator/index.ts');

interface CheckFlags {
  kind?: CollectionType;
  symbol?: string;
  name?: string;
  config?: string;
  format: 'text' | 'json' | 'junit' | 'oclc';
  out?: string;
  stats?: boolean;
}

/** The bar appears once a check has run this long, so quick checks print nothing extra. */
const PROGRESS_AFTER_MS = Number(process.env['DATASYNC_SIM_PROGRESS_AFTER_MS'] ?? 1000);

export function checkCommand(): Command {
  return new Command('check')
    .summary('tell offline what Data Sync would refuse in MARC files')
    .description(
      'Check MARC files (ISO 2709 or MARCXML) with the readers and rules the simulator processes them ' +
        'with, without a server: framing, encoding, Leader and 008, OCN and LSN, the LHR (MFHD) rules and ' +
        'the upload name. What needs WorldCat (matches, replace-all results) is not checked. ' +
        'Exit 0: every record would be accepted; 3: a record or the name would be refused; 2: bad ' +
        'usage; 4: a file is missing.',
    )
    .argument('<files...>', 'MARC files to check')
    .addOption(
      new Option(
        '--kind <kind>',
        'collection type (default: from --config and the name, else Leader/06)',
      ).choices(['bib', 'lhr', 'delete-holdings', 'delete-lhr']),
    )
    .option('--symbol <symbol>', 'institution symbol (default: from the name)')
    .option('--name <upload-name>', 'the name the file will be uploaded under (default: its own name)')
    .option('-c, --config <file>', 'simulator configuration: collections, their OCN and LSN fields')
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['text', 'json', 'junit', 'oclc'])
        .default('text'),
    )
    .option('--out <path>', 'write here instead of standard output (oclc: a folder, default .)')
    .option('--stats', 'print records/s and peak memory to standard error')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ datasync-sim check 1012676.pul.bibs.mrc\n' +
        '  $ datasync-sim check export.mrc --name 1012676.pul.bibs_7_new.mrc --format junit --out check.xml\n' +
        '  $ datasync-sim check holdings.mrc --kind lhr --symbol PUL --format oclc --out reports/\n',
    )
    .action(async (files: string[], flags: CheckFlags) => {
      const simulator = await import('../simulator/index.ts');
      checkInputs(files, flags);
      const config = flags.config ? simulator.loadConfigFile(flags.config, { env: process.env }) : undefined;
      const unnamed = files.find(
        (file) => simulator.resolveCheckTarget(file, { ...flags, config }).symbol === undefined,
      );
      if (flags.format === 'oclc' && unnamed !== undefined) {
        throw new DataSyncError('PATH_INVALID', {
          action: 'name the reports for',
          path: unnamed,
          reason:
            "OCLC's report names carry the institution symbol; give --symbol or an upload name (--name)",
        });
      }
      // Registered before the output is opened, so a signal at any moment finds them.
      const unfinished = partialOutput(flags);
      const results: CheckResult[] = [];
      const at = { file: files[0] ?? '', read: 0, total: 0 };
      const stop = stopOnSignal(
        () =>
          `while checking ${at.file} (${at.read} of ${at.total} bytes read; ${results.length} of ${files.length} files done)` +
          (unfinished ? `; ${flags.out} was not written` : ''),
      );
      const output = openOutput(flags, simulator);
      for (const file of files) {
        at.file = file;
        const progress = await progressBar(file, at);
        try {
          const result = await simulator.checkFile(file, {
            kind: flags.kind,
            symbol: flags.symbol,
            name: flags.name,
            config,
            maxProblems: 0,
            onProblem: (problem, at) => output.problem(problem, at),
            onProgress: progress.update,
          });
          progress.stop();
          output.fileDone(result);
          results.push(result);
          if (flags.stats) {
            const rate = Math.round(result.records / Math.max(result.seconds, 1e-6));
            const rss = process.resourceUsage().maxRSS / 1024;
            process.stderr.write(
              `check: ${result.records} records in ${result.seconds.toFixed(2)} s = ${rate} records/s, peak RSS ${rss.toFixed(0)} MB\n`,
            );
          }
        } finally {
          progress.stop();
        }
      }
      output.close(results);
      unfinished?.finished();
      stop();
      process.exitCode = results.every((r) => r.ok) ? EXIT_CODES.ok : EXIT_CODES.rejected;
    });
}

/** Usage mistakes and missing files, reported before any file is read. */
function checkInputs(files: readonly string[], flags: CheckFlags): void {
  if (flags.name !== undefined && files.length > 1) {
    throw new DataSyncError('PATH_INVALID', {
      action: 'check',
      path: flags.name,
      reason: '--name names one upload; check one file at a time with it',
    });
  }
  for (const file of files) {
    if (!existsSync(file))
      throw new DataSyncError('NOT_FOUND', {
        subject: `"${file}"`,
        reason: 'no such file (give the path of the exported MARC file to check)',
      });
  }
}

/** A partial `--out` file is removed if the check ends early. */
function partialOutput(flags: CheckFlags): { finished: () => void } | undefined {
  if (flags.format === 'oclc' || flags.out === undefined || flags.out === '-') return undefined;
  // Checked first: a path that is a folder or cannot be written is the user's mistake, never removed.
  return removeUnlessFinished(outputFile(flags.out, 'output file'));
}

function openOutput(flags: CheckFlags, simulator: Simulator): CheckOutput {
  if (flags.format === 'oclc') {
    const dir = outputFolder(flags.out ?? '.', 'reports folder');
    const output = simulator.checkOclcOutput(dir);
    return {
      ...output,
      close: () => {
        for (const path of output.written) process.stdout.write(`wrote ${path}\n`);
      },
    };
  }
  if (flags.out !== undefined && flags.out !== '-') outputFile(flags.out, 'output file');
  const out = new simulator.LineOutput(flags.out, { beforeStdout: clearBarLine });
  if (flags.format === 'json') return simulator.checkJsonOutput(out);
  if (flags.format === 'junit') return simulator.checkJunitOutput(out);
  return simulator.checkTextOutput(out);
}

let barShown = false;

/** Problem lines on the bar's terminal would be appended to the bar: clear its line first (it redraws). */
function clearBarLine(): void {
  if (barShown && process.stdout.isTTY) process.stderr.write('\r\x1b[2K');
}

/** A bar on standard error when it is a terminal and the check has run for a while. */
async function progressBar(
  file: string,
  at: { read: number; total: number },
): Promise<{ update: (read: number, total: number) => void; stop: () => void }> {
  const track = (read: number, total: number): void => {
    at.read = read;
    at.total = total;
  };
  if (!process.stderr.isTTY) return { update: track, stop: () => undefined };
  // Loaded only for a terminal, so `--help` and piped runs skip it.
  const { default: bars } = await import('cli-progress');
  const started = performance.now();
  let bar: cliProgress.SingleBar | undefined;
  return {
    update: (read, total) => {
      track(read, total);
      if (!bar && performance.now() - started >= PROGRESS_AFTER_MS && read < total) {
        bar = new bars.SingleBar(
          {
            format: `${file} [{bar}] {percentage}% {value}/{total} bytes`,
            hideCursor: true,
            stream: process.stderr,
            // Redrawn at every tick, so it reappears after problem lines cleared it.
            forceRedraw: true,
          },
          bars.Presets.shades_classic,
        );
        bar.start(total, read);
        barShown = true;
      }
      bar?.update(read);
    },
    stop: () => {
      bar?.stop();
      bar = undefined;
      barShown = false;
    },
  };
}
