import { Command } from 'commander';
import { outputFolder } from './user-paths.ts';

export function outputCommand(): Command {
  const output = new Command('output')
    .summary('fetch the record output files OCLC delivers')
    .description(
      'Record output is the second half of Data Sync: for a collection with output on, OCLC delivers ' +
        'WorldCat records to /xfer/metacoll/out/ongoing/{new,updates,deletes}.',
    );
  output
    .command('fetch')
    .summary('download the delivered output files not fetched before')
    .description(
      'Log in with the profile, list /xfer/metacoll/out/ongoing/{new,updates,deletes} and download ' +
        "every output file of the profile's institution and collection " +
        '(metacoll.<SYMBOL>.<new|updates|deletes|merges>.<D|W|M|Q><YYYYMMDD>.T<HHMMSS>.<collection>.<n>.<mrc|xml>) ' +
        'that this client has not fetched before. Files arrive as <name>.part and are renamed when whole; ' +
        'a lost connection is retried (sftp.retries in the profile) and an interrupted run resumes from ' +
        'the bytes already on disk. Files OCLC zipped (after 7 days) are unpacked. What was fetched is ' +
        'recorded in the state folder of the profile (state:), so a file is never downloaded twice, even ' +
        "after you moved it away. Next step: import the files (ISO 2709 or MARCXML, in the collection's output format) into your catalogue.",
    )
    .requiredOption(
      '-p, --profile <file>',
      'publishing profile (YAML): host, account, host key, state folder',
    )
    .option('--out <dir>', 'where to save the output files (created if missing)', 'output')
    .option('--all-collections', "fetch every collection's files of the institution, not only the profile's")
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ OCLC_PASSWORD=… datasync-sim output fetch --profile pul.yaml --out output\n' +
        '\nExit codes: 0 done (also when nothing new was delivered), 2 bad profile or --out folder, ' +
        '3 refused (host key, login, a file the server would not give), 69 server unreachable or the ' +
        'connection lost after the retries (run it again: it resumes).\n',
    )
    .action(async (flags: { profile: string; out: string; allCollections?: boolean; json?: boolean }) => {
      const { fetchOutput, loadProfile } = await import('../client/index.ts');
      const profile = loadProfile(flags.profile, { env: process.env });
      outputFolder(flags.out, 'output files folder');
      const result = await fetchOutput({
        profile,
        outDir: flags.out,
        allCollections: flags.allCollections,
        onRetry: flags.json
          ? undefined
          : (attempt, reason, delay) =>
              process.stderr.write(`connection lost (${reason}); try ${attempt + 1} in ${delay} ms\n`),
        onFile: flags.json
          ? undefined
          : (file) =>
              process.stdout.write(
                `${file.name}: ${file.bytes} bytes${file.resumedFrom > 0 ? ` (resumed at byte ${file.resumedFrom})` : ''}${file.unzipped ? ', unzipped' : ''}\n`,
              ),
      });
      if (flags.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else
        process.stdout.write(
          `downloaded ${result.downloaded.length} output file(s) to ${flags.out}; ${result.fetchedBefore} fetched before\n`,
        );
    });
  return output;
}
