import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOpenSshSftp } from '../support/openssh-sftp.ts';
import { requireTools } from '../support/require-tool.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startTestSimulator, type TestSimulator } from '../support/test-simulator.ts';

let sim: TestSimulator;
let dir: { path: string } & Disposable;

beforeAll(async () => {
  requireTools('sftp', 'sshpass');
  sim = await startTestSimulator();
  dir = tempDir();
  writeFileSync(join(dir.path, 'records.mrc'), 'not really MARC, but bytes');
});

afterAll(async () => {
  await sim?.stop();
  dir?.[Symbol.dispose]();
});

const pul = (batch: string[]) =>
  runOpenSshSftp({ sim, dir: dir.path, user: 'fx_pul', password: 'pul-secret', batch });

describe('OpenSSH sftp against the simulator', () => {
  it('puts a well-named file with a relative path; the file then vanishes', async () => {
    const result = await pul([
      'cd metacoll/in/bib',
      'put records.mrc 1012676.pul.bibs.20260115.mrc',
      'ls -1',
      'bye',
    ]);
    expect(result.stderr).not.toContain('Permission denied');
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(/^1012676\.pul\.bibs\.20260115\.mrc$/m);
    expect(sim.files.list({ state: 'queued' }).map((f) => f.name)).toContain('1012676.pul.bibs.20260115.mrc');
  });

  it("puts with an absolute path, and a get of the just-uploaded file fails like Alma's Test FTP", async () => {
    const result = await pul([
      'put records.mrc /xfer/metacoll/in/bib/1012676.pul.absolute.mrc',
      'get /xfer/metacoll/in/bib/1012676.pul.absolute.mrc back.mrc',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('No such file or directory');
    expect(result.stderr).toContain('the file was accepted and picked up for processing');
    expect(sim.files.list().find((f) => f.name === '1012676.pul.absolute.mrc')?.state).toBe('queued');
  });

  it.each([
    ['1012676.pul@.bibs.mrc', "the institution symbol 'pul', not 'pul@': 1012676.pul.bibs.mrc"],
    ['1012676.pul.my$bibs.mrc', "'$' in a file name must be written '_36'"],
    ['1012676.pul.bibs#2.mrc', "'#' in a file name must be written '_35'"],
    ['pul.bibs.mrc', 'the name must start with the 7-digit collection ID and a period: 1012676.pul.bibs.mrc'],
    [
      '1012676.pul.bibs.marc',
      "the extension must be .mrc, .xml, .csv, .nsk, not '.marc': 1012676.pul.bibs.mrc",
    ],
    ['-1012676.pul.bibs.mrc', "a file name must not start with '-': 1012676.pul.bibs.mrc"],
    ['1012676.xyz.bibs.mrc', "the second element must be the institution symbol 'pul', not 'xyz'"],
  ])('refuses %s and shows the user why', async (name, message) => {
    const result = await pul([`put records.mrc "metacoll/in/bib/${name}"`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Failed to upload "${name}": `);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toMatch(/Permission denied/);
  });

  it('refuses a name with a space, explaining the rule', async () => {
    const result = await pul(['put records.mrc "metacoll/in/bib/1012676.pul.my bibs.mrc"']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('spaces are not allowed in file names: 1012676.pul.my_bibs.mrc');
  });

  it('refuses a bib-collection file put into in/lhr, saying where it goes (not that the collection is unknown)', async () => {
    const result = await pul(['put records.mrc metacoll/in/lhr/1012676.pul.bibs.mrc']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'collection 1012676 takes its files in metacoll/in/bib, not in this folder; upload the file there under this name',
    );
    expect(result.stderr).not.toContain('is not one of');
  });

  it('keeps the reports folder read-only', async () => {
    const result = await pul(['put records.mrc /xfer/metacoll/reports/1012676.pul.x.mrc']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('this folder is read-only');
  });

  it('refuses mkdir, and rm of a missing file', async () => {
    const mkdir = await pul(['mkdir metacoll/in/bib/new']);
    expect(mkdir.code).toBe(1);
    expect(mkdir.stderr).toContain('the OCLC folder tree is fixed');
    const rm = await pul(['rm metacoll/in/bib/none.mrc']);
    expect(rm.code).toBe(1);
  });

  it('supports a temporary name then rename, as careful scripts do', async () => {
    const result = await pul([
      'put records.mrc metacoll/in/bib/1012676.pul.careful.mrc.part',
      'rename metacoll/in/bib/1012676.pul.careful.mrc.part metacoll/in/bib/1012676.pul.careful.mrc',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(sim.files.list().find((f) => f.name === '1012676.pul.careful.mrc')).toMatchObject({
      state: 'queued',
      tempName: '1012676.pul.careful.mrc.part',
    });
  });

  it('logs in with the legacy bare symbol and the fx_ name', async () => {
    for (const user of ['ab_64', 'fx_ab_64']) {
      const result = await runOpenSshSftp({
        sim,
        dir: dir.path,
        user,
        password: 'ab-secret',
        batch: ['pwd', 'put records.mrc metacoll/in/bib/1234567.ab_64.' + user + '.mrc'],
      });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Remote working directory: /xfer');
    }
  });

  it('explains a login with an unencoded @ in the banner', async () => {
    const result = await runOpenSshSftp({
      sim,
      dir: dir.path,
      user: 'fx_ab@',
      password: 'ab-secret',
      batch: ['pwd'],
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("'@' in the user name must be written '_64'. Log in as fx_ab_64.");
  });
});
