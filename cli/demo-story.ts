import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateBibRecords } from '../oclc/marc/generate-bib-records.ts';
import { generateLhrRecords } from '../oclc/marc/generate-lhr-records.ts';
import { DataSyncError } from '../oclc/error-catalogue.ts';
import { fetchReports, parseProfile, publish, writeback } from '../client/index.ts';
import type { StartedSimulator } from '../simulator/index.ts';

export type Pace = 'fast' | 'normal' | 'slow';
/** The story's steps (runDemoStory's headings); the board shows "step n of DEMO_STEPS". */
export const DEMO_STEPS = 7;
const PAUSE_MS: Record<Pace, number> = { fast: 0, normal: 2500, slow: 6000 };

export interface StoryOptions {
  pace: Pace;
  workDir: string;
  say: (line: string) => void;
  /** Told the number of each step as it starts (for where an interrupted demo stopped). */
  onStep?: (step: number) => void;
}

/**
 * The Data Sync cycle told as numbered steps, each with why it matters, run against a started
 * demo simulator: a refused name and its fix, a bib publish, the reports, write-back, and the LHR
 * replace-all pitfall with the grouping that prevents it.
 */
export async function runDemoStory(sim: StartedSimulator, options: StoryOptions): Promise<void> {
  const { say } = options;
  mkdirSync(options.workDir, { recursive: true });
  let step = 0;
  const heading = async (title: string, why: string): Promise<void> => {
    if (step > 0) await new Promise((resolve) => setTimeout(resolve, PAUSE_MS[options.pace]));
    say('');
    say(`${++step}. ${title}`);
    options.onStep?.(step);
    say(`   ${why}`);
    // The board shows the step too, so the room reads what the terminal says.
    sim.events.emit('demo:step', { step, total: DEMO_STEPS, title, why });
  };
  const show = (line: string): void => say(`   → ${line}`);
  const processed = (name: string) =>
    sim.waitFor('file:processed', (f) => f.name === name, { timeoutMs: 60_000 });

  await heading(
    'A file name with an unencoded "@" is refused',
    'OCLC names files after the institution symbol, and "@" must be written "_64": AB@ becomes ab_64.',
  );
  const bad = '1234567.ab@.books.mrc';
  const bibBytes = Buffer.concat([...generateBibRecords({ count: 20, seed: 11 })].map((r) => r.bytes));
  try {
    await sim.upload('AB@', bad, bibBytes);
    show(`${bad} was accepted (it should not have been)`);
  } catch (error) {
    if (!(error instanceof DataSyncError)) throw error;
    show(error.message);
  }
  const fixed = '1234567.ab_64.books.mrc';
  const fixedDone = processed(fixed);
  await sim.upload('AB@', fixed, bibBytes);
  show(`${fixed} accepted and ${(await fixedDone).summary?.records ?? 0} records processed`);

  await heading(
    'A bib file is published with our client and processed',
    'The client names the parts, checks them against the same rules, and uploads them the way Alma does.',
  );
  const records = join(options.workDir, 'library-export.mrc');
  writeFileSync(records, Buffer.concat([...generateBibRecords({ count: 60, seed: 7 })].map((r) => r.bytes)));
  const bibProfile = profile(sim, options.workDir, { collectionId: '1012676', kind: 'bib', label: 'books' });
  const published = await publish({ profile: bibProfile, files: [records], jobId: '20260115000000001' });
  for (const part of published.parts) show(`uploaded ${part.name} (${part.records} records, ${part.type})`);

  await heading(
    'The reports are fetched and read',
    'OCLC answers with reports, not an API: match means WorldCat had the record, create means it was added, unresolved means a person must look.',
  );
  const reportsDir = join(options.workDir, 'reports');
  const fetched = await fetchReports({ profile: bibProfile, outDir: reportsDir, waitMs: 30_000 });
  for (const file of fetched.files) {
    const a = file.actions;
    show(
      `${file.file}: ${file.records} records: match ${a['match'] ?? 0}, create ${a['create'] ?? 0}, unresolved ${a['unresolved'] ?? 0}`,
    );
  }

  await heading(
    'OCLC numbers are written back into the local records',
    'The cross-reference report pairs each local number (LSN) with its OCN; the catalogue keeps it in 035 $a (OCoLC).',
  );
  const back = await writeback(reportsDir, records);
  writeFileSync(join(options.workDir, 'library-export.with-ocns.mrc'), back.output);
  show(
    `${back.added} records got an OCN, ${back.unchanged} already had it, ${back.exceptions.length} need a person`,
  );

  await heading(
    'LHRs: a full set creates every copy',
    'Local holdings records (MFHD) say which library holds which copy; here one title has three copies.',
  );
  const copies = [...generateLhrRecords({ count: 3, seed: 5, symbol: 'PUL', copiesPerOcn: 3 })];
  const ocn = copies[0]?.ocn ?? '';
  const fullName = '1012677.pul.lhr-full.mrc';
  const fullDone = processed(fullName);
  await sim.upload('PUL', fullName, Buffer.concat(copies.map((c) => c.bytes)));
  await fullDone;
  show(`OCN ${ocn} has ${sim.worldcat.lhrs('PUL', ocn).length} LHRs`);

  await heading(
    'The replace-all pitfall: a partial set wipes copies',
    "OCLC replaces all of an institution's LHRs for an OCN with what the file holds, so a file with one copy deletes the others.",
  );
  const partialName = '1012677.pul.lhr-partial.mrc';
  const partialDone = processed(partialName);
  await sim.upload('PUL', partialName, copies[0]?.bytes ?? Buffer.alloc(0));
  await partialDone;
  show(`OCN ${ocn} now has ${sim.worldcat.lhrs('PUL', ocn).length} LHR: two copies are gone`);

  await heading(
    'Grouping prevents it',
    'Our client keeps every copy of an OCN in one file, even when a part limit would split them.',
  );
  const lhrFile = join(options.workDir, 'holdings.mrc');
  writeFileSync(lhrFile, Buffer.concat(copies.map((c) => c.bytes)));
  const lhrProfile = profile(sim, options.workDir, {
    collectionId: '1012677',
    kind: 'lhr',
    label: 'holdings',
    extra: 'limits: { maxRecordsPerFile: 2 }\n',
  });
  const regrouped = sim.waitFor('file:processed', (f) => f.kind === 'lhr' && f.name.includes('holdings'), {
    timeoutMs: 60_000,
  });
  const lhrPublished = await publish({ profile: lhrProfile, files: [lhrFile], jobId: '20260115000000002' });
  for (const part of lhrPublished.parts) show(`uploaded ${part.name} (${part.records} records in one part)`);
  await regrouped;
  show(`OCN ${ocn} has ${sim.worldcat.lhrs('PUL', ocn).length} LHRs again`);
  say('');
  say('The story is done. Every step is on the dashboard and in the journal.');
}

function profile(
  sim: StartedSimulator,
  workDir: string,
  p: { collectionId: string; kind: 'bib' | 'lhr'; label: string; extra?: string },
) {
  const text = `name: demo ${p.kind}
symbol: PUL
collectionId: "${p.collectionId}"
kind: ${p.kind}
label: ${p.label}
sftp:
  host: ${sim.sftp.host}
  port: ${sim.sftp.port}
  passwordEnv: DEMO_PASSWORD
  hostKey: { fingerprint: "${sim.sftp.hostKeyFingerprint}" }
state: ${join(workDir, `client-state-${p.kind}`)}
${p.extra ?? ''}`;
  const password = sim.config.institutions.find((i) => i.symbol === 'PUL')?.password;
  return parseProfile(text, 'demo profile', { env: { DEMO_PASSWORD: password }, baseDir: workDir });
}
