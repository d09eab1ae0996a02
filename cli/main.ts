import { Command, CommanderError } from 'commander';
import { DataSyncError, EXIT_CODES } from '../oclc/error-catalogue.ts';
import { publishCommand } from './publish-command.ts';
import { reportsCommand } from './reports-command.ts';
import { outputCommand } from './output-command.ts';
import { writebackCommand } from './writeback-command.ts';
import { checkCommand } from './check-command.ts';
import { marcCommand } from './marc-command.ts';
import { packageVersion } from './package-version.ts';
import { scenarioCommand } from './scenario-command.ts';
import { serveCommand } from './serve-command.ts';
import { demoCommand } from './demo-command.ts';
import { apiCommand } from './api-command.ts';
import { endQuietlyOnClosedPipe } from './interrupts.ts';

export function buildProgram(): Command {
  return new Command('datasync-sim')
    .description(
      'A test harness for OCLC WorldShare Data Sync: a mock OCLC SFTP server, a processing ' +
        'simulator, a publishing client and scenario suites. Run a command with --help for details.',
    )
    .version(packageVersion(), '-V, --version', 'print the version of datasync-sim')
    .showHelpAfterError('(run with --help for usage)')
    .addCommand(serveCommand())
    .addCommand(demoCommand())
    .addCommand(checkCommand())
    .addCommand(marcCommand())
    .addCommand(publishCommand())
    .addCommand(reportsCommand())
    .addCommand(outputCommand())
    .addCommand(writebackCommand())
    .addCommand(scenarioCommand())
    .addCommand(apiCommand());
}

/** Runs the CLI; catalogued errors print their message and exit with their code, bugs a stack. */
export async function main(argv: readonly string[]): Promise<void> {
  endQuietlyOnClosedPipe();
  const program = buildProgram();
  overrideExits(program);
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : EXIT_CODES.usage;
      return;
    }
    if (error instanceof DataSyncError) {
      process.stderr.write(`datasync-sim: ${error.message}\n`);
      process.exitCode = error.definition.exit;
      return;
    }
    process.stderr.write(
      `datasync-sim: internal error (a bug; please report it):\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = EXIT_CODES.internal;
  }
}

/** Commander copies settings only to subcommands it creates itself, not to added ones. */
function overrideExits(command: Command): void {
  command.exitOverride();
  command.showHelpAfterError('(run with --help for usage)');
  for (const sub of command.commands) overrideExits(sub);
}
