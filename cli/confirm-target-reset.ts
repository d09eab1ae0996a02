import { createInterface } from 'node:readline/promises';
import { DataSyncError, EXIT_CODES } from '../oclc/error-catalogue.ts';
// AdminClient loads with the runner when the command runs; --help stays light.

/**
 * Says what a run against a running simulator wipes before anything is wiped, and asks. Without
 * a terminal to ask on (CI), it refuses unless --yes was given. Returns false when the user says no.
 */
export async function confirmTargetReset(target: string, options: { yes: boolean }): Promise<boolean> {
  if (options.yes) return true;
  const { AdminClient } = await import('../scenarios/index.ts');
  const files = await new AdminClient(target, { token: process.env['DATASYNC_ADMIN_TOKEN'] })
    .files()
    .catch(() => undefined);
  const what =
    `scenario run resets the simulator at ${target} before each scenario: it forgets ` +
    `${files ? `its ${files.length} upload(s)` : 'its uploads'}, holdings, LHRs, reports and journal ` +
    '(its configuration, host key and ports stay)';
  if (!process.stdin.isTTY || !process.stderr.isTTY)
    throw new DataSyncError('CONFIRMATION_NEEDED', {
      action: `run scenarios against ${target}`,
      reason: what,
    });
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(`${what}.\nGo ahead? [y/N] `);
    if (/^y(es)?$/i.test(answer.trim())) return true;
    process.stderr.write('nothing was run\n');
    process.exitCode = EXIT_CODES.failure;
    return false;
  } finally {
    prompt.close();
  }
}
