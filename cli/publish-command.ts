import { Command } from 'commander';
import type cliProgress from 'cli-progress';
import type { PublishEvents } from '../client/index.ts';

interface PublishFlags {
  profile: string;
  dryRun?: boolean;
  json?: boolean;
  jobId?: string;
  skipUnreadable?: boolean;
}

export function publishCommand(): Command {
  return new Command('publish')
    .summary('publish MARC records to OCLC (or the simulator) the way Alma does')
    .description(
      'Split ISO 2709 or MARCXML files into parts within the profile limits (deletes, Leader/05 d, ' +
        'in their own part; all LHRs of an OCN in one part), name them <collection id>.<symbol>.' +
        '<label>_<job id>_<new|delete>.<mrc|xml>, and upload them with pipelined writes. Success is the ' +
        'upload result alone; connection failures are retried and a part is re-sent whole; a part ' +
        'already confirmed is never sent twice.',
    )
    .argument('<files...>', 'MARC files (.mrc ISO 2709 or .xml MARCXML)')
    .requiredOption('-p, --profile <file>', 'publishing profile (YAML; see docs/integration-developers.md)')
    .option('--dry-run', 'print the plan (names, record counts, sizes) without connecting; needs no password')
    .option('--job-id <id>', 'job id for the file names (default: a new one); reuse one to resume a publish')
    .option('--skip-unreadable', 'leave out records that cannot be read instead of stopping')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  $ datasync-sim publish --profile pul.yaml --dry-run export.mrc\n  $ OCLC_PASSWORD=… datasync-sim publish --profile pul.yaml export.mrc deletes.mrc\n\n' +
        'Exit codes: 0 all parts uploaded, 2 bad profile or input, 3 refused (host key, login, file name), 69 server unreachable after retries.\n',
    )
    .action(async (files: string[], flags: PublishFlags) => {
      // Exit through process.exit on Ctrl+C or a TERM, with the shell's usual codes, so the
      // spool folder of a MARCXML or LHR publish is removed (the default kill skips 'exit').
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      const { loadProfile, publish } = await import('../client/index.ts');
      const profile = loadProfile(flags.profile, { env: process.env, withoutSecrets: flags.dryRun });
      const jobId = flags.jobId ?? newJobId();
      // The bar's library is loaded only for a terminal, so `--help` and piped runs skip it.
      const bars = !flags.json && process.stdout.isTTY ? (await import('cli-progress')).default : undefined;
      const ui = flags.json ? undefined : progressUi(bars);
      const result = await publish({
        profile,
        files,
        jobId,
        dryRun: flags.dryRun,
        skipUnreadable: flags.skipUnreadable,
        events: ui?.events,
      });
      ui?.stop();
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        return;
      }
      if (result.dryRun) {
        process.stdout.write(
          `plan for job ${jobId}, into ${result.remoteDirectory} on ${profile.sftp.host}:${profile.sftp.port} (nothing sent):\n`,
        );
        for (const part of result.parts)
          process.stdout.write(`  ${part.name}  ${part.records} records  ${part.size} bytes\n`);
      }
    });
}

/** An Alma-like job id: 17 digits from the time and the process. */
function newJobId(): string {
  return `${Date.now()}${String(process.pid % 10_000).padStart(4, '0')}`;
}

function progressUi(bars: typeof cliProgress | undefined): { events: PublishEvents; stop: () => void } {
  const err = (line: string): boolean => process.stderr.write(`${line}\n`);
  const out = (line: string): boolean => process.stdout.write(`${line}\n`);
  let bar: cliProgress.SingleBar | undefined;
  let total = 0;
  let done = 0;
  return {
    events: {
      warning: (message) => err(`warning: ${message}`),
      planned: (parts) => {
        total = parts.length;
        if (bars) {
          bar = new bars.SingleBar(
            {
              format:
                'part {part}/{parts} {name} [{bar}] {percentage}% {value}/{total} bytes, {records} records',
              hideCursor: true,
              clearOnComplete: false,
            },
            bars.Presets.shades_classic,
          );
        }
      },
      partStarted: (part, index) => {
        bar?.start(part.size, 0, {
          part: index + 1,
          parts: total,
          name: part.name,
          records: part.records,
        });
      },
      progress: (_part, bytes) => bar?.update(bytes),
      retrying: (part, attempt, reason, delayMs) =>
        err(`retrying ${part.name} (attempt ${attempt + 1}) in ${delayMs} ms: ${reason}`),
      partDone: (part, outcome, attempts) => {
        done++;
        bar?.update(part.size);
        bar?.stop();
        const how =
          outcome === 'already-confirmed'
            ? 'already confirmed, not sent again'
            : `uploaded${attempts > 1 ? ` after ${attempts} attempts` : ''}`;
        out(`part ${done}/${total} ${part.name}: ${part.records} records, ${part.size} bytes, ${how}`);
      },
    },
    stop: () => bar?.stop(),
  };
}
