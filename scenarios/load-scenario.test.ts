import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test/support/temp-dir.ts';
import { loadScenario } from './load-scenario.ts';

function problemsOf(yaml: string): string[] {
  using dir = tempDir();
  const file = join(dir.path, 'sc.yaml');
  writeFileSync(file, yaml);
  writeFileSync(join(dir.path, 'fixture.mrc'), '');
  const result = loadScenario(file);
  return result.ok ? [] : result.problems.map((p) => p.slice(file.length + 2));
}

describe('loadScenario validates everything the runner reads', () => {
  it('checks given as simulator configuration, the files steps name, and what expectations name', () => {
    expect(
      problemsOf(`name: cannot run
given:
  institutions:
    - { symbol: PUL, collections: [{ id: "1012676", type: book }] }
  processing: later
steps:
  - fetchReports: {}
  - publish: { profile: { symbol: PUL, collectionId: '1012676', password: x }, files: [nope.mrc, fixture.mrc] }
  - generate: { count: 2, as: made.mrc }
  - sftp: { user: fx_pul, password: x, commands: ["put made.mrc in/bib/x.mrc", "put gone.mrc x"] }
expect:
  reports: [{ as: XYZ, kind: BibProcessingReport }]
  files: [{ state: done }]
`),
    ).toEqual([
      expect.stringMatching(
        /^line 4: given\.institutions\.0\.collections\.0\.type: Invalid option: expected one of "bib"/,
      ),
      'line 4: given.institutions.0: an institution needs a password, a passwordEnv or at least one public key',
      'line 5: given.processing.mode: "later" is not a processing mode; use immediate, manual or "delay 4h"',
      'line 7: steps.0.fetchReports: fetchReports fetches the reports of what was published; put a publish step before it',
      'line 8: steps.1.publish.files.0: file "nope.mrc" is neither written by an earlier generate step nor a fixture beside the scenario',
      'line 10: steps.3.sftp.commands.1: file "gone.mrc" is neither written by an earlier generate step nor a fixture beside the scenario',
      'line 12: expect.reports: reports are read over SFTP; give an institution in given a password',
      expect.stringMatching(
        /^line 13: expect\.files\.0\.state: Invalid option: expected one of "receiving"\|/,
      ),
    ]);
  });

  it('names a mistyped step type and an unknown SFTP command with the allowed ones', () => {
    expect(
      problemsOf(`name: typo
given: { institutions: [{ symbol: PUL, password: p, collections: [{ id: "1012676", type: bib }] }] }
steps:
  - proces: {}
  - generate: { count: many, as: a.mrc }
  - sftp: { user: fx_pul, password: p, commands: ["chmod 600 x"] }
`),
    ).toEqual([
      'line 4: steps.0: unknown step type "proces"; a step is one of: generate, publish, process, sftp, openssh, advanceClock, fetchReports, restart, writeback, api',
      'line 5: steps.1.generate.count: Invalid input: expected number, received string',
      'line 6: steps.2.sftp.commands.0: unknown SFTP command "chmod"; the commands are put LOCAL REMOTE, get REMOTE, ls DIR, rm REMOTE, rename A B, mkdir DIR',
    ]);
  });

  it('names the report expectation institution that is not in given', () => {
    expect(
      problemsOf(`name: as
given: { institutions: [{ symbol: PUL, password: p, collections: [{ id: "1012676", type: bib }] }] }
steps: [{ process: {} }]
expect: { reports: [{ as: VND, kind: BibProcessingReport }] }
`),
    ).toEqual([
      'line 4: expect.reports.0.as: "VND" is not an institution with a password in given; one of: PUL',
    ]);
  });
});
