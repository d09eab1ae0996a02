import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateBibRecords } from '../../oclc/marc/generate-bib-records.ts';
import { runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * Every command with every kind of bad input a user gives by mistake: a missing file, a missing
 * folder, an output that cannot be written, YAML that does not parse, values of the wrong type.
 * None of them is a bug, so none may exit 70 or print a stack trace; each gets its documented code
 * (4 not found, 2 bad usage or configuration).
 */
const dir = tempDir('datasync-sim-corpus-');
const at = (name: string): string => join(dir.path, name);
const REPORT = 'PUL.1012676.IN.BIB.D20260101.T000000000.1012676.pul.x.mrc.BibProcessingReport.txt';
const PROFILE = `name: corpus
symbol: PUL
collectionId: "1012676"
kind: bib
label: bibs
sftp: { host: 127.0.0.1, port: 1, passwordEnv: OCLC_PASSWORD, hostKey: { fingerprint: "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" } }
`;

beforeAll(() => {
  writeFileSync(
    at('good.mrc'),
    Buffer.concat([...generateBibRecords({ count: 3, seed: 1 })].map((r) => r.bytes)),
  );
  writeFileSync(at('bad.yaml'), 'institutions:\n  - { symbol: PUL\n  password: [\n');
  writeFileSync(at('a-file'), 'not a folder');
  mkdirSync(at('a-folder'));
  mkdirSync(at(REPORT));
  writeFileSync(at('types-config.yaml'), 'fileNames: 3\npickupDelay: [1]\ninstitutions: PUL\n');
  writeFileSync(at('types-profile.yaml'), 'symbol: 7\ncollectionId: 1012676\nkind: book\nsftp: yes\n');
  writeFileSync(at('types-scenario.yaml'), 'name: 5\nsteps: { put: x }\nexpect: []\n');
  writeFileSync(at('profile.yaml'), PROFILE);
  writeFileSync(at('state-profile.yaml'), `${PROFILE}state: ${at('a-file')}/state\n`);
  writeFileSync(
    at('missing-key.yaml'),
    `sftp: { hostKeyFile: ${at('missing.key')} }\ninstitutions:\n  - { symbol: PUL, password: p, collections: [{ id: "1012676", type: bib }] }\n`,
  );
  writeFileSync(
    at('garbage-key.yaml'),
    `sftp: { hostKeyFile: ${at('a-file')} }\ninstitutions:\n  - { symbol: PUL, password: p, collections: [{ id: "1012676", type: bib }] }\n`,
  );
});
afterAll(() => dir[Symbol.dispose]());

const PORTS = ['--sftp-port', '0', '--admin-port', '0'];
const SUITE = fileURLToPath(new URL('../../scenarios/suites/vanishing-upload.yaml', import.meta.url));

/** [command line, documented exit code]; `@name` stands for a path in the test's folder. */
const CORPUS: [string[], number][] = [
  [['serve', '--config', '@missing.yaml'], 4],
  [['serve', '--config', '@a-folder'], 2],
  [['serve', '--config', '@bad.yaml'], 2],
  [['serve', '--config', '@types-config.yaml'], 2],
  [['serve', '--config', '@missing-key.yaml', ...PORTS], 2],
  [['serve', '--config', '@garbage-key.yaml', ...PORTS], 2],
  [['serve', '--data-dir', '@a-file/data', ...PORTS], 2],
  [['serve', '--sftp-port', 'twenty-two'], 2],
  [['marc', 'generate', '--count', '2', '--out', '@missing-folder/x.mrc'], 2],
  [['marc', 'generate', '--count', '2', '--out', '@a-file/x.mrc'], 2],
  [['marc', 'generate', '--count', '2', '--out', '@a-folder'], 2],
  [['marc', 'generate', '--count', 'many', '--out', '@x.mrc'], 2],
  [['publish', '--profile', '@missing.yaml', '@good.mrc'], 4],
  [['publish', '--profile', '@bad.yaml', '@good.mrc'], 2],
  [['publish', '--profile', '@types-profile.yaml', '@good.mrc'], 2],
  [['publish', '--profile', '@profile.yaml', '@missing.mrc'], 4],
  [['publish', '--profile', '@profile.yaml', '@a-folder'], 2],
  [['publish', '--profile', '@profile.yaml', '@bad.yaml'], 2],
  [['publish', '--profile', '@state-profile.yaml', '@good.mrc'], 2],
  [['reports', 'fetch', '--profile', '@missing.yaml'], 4],
  [['reports', 'fetch', '--profile', '@bad.yaml'], 2],
  [['reports', 'fetch', '--profile', '@profile.yaml', '--out', '@a-file/reports'], 2],
  [['reports', 'fetch', '--profile', '@profile.yaml', '--wait', 'soon'], 2],
  [['reports', 'parse', `@missing/${REPORT}`], 4],
  [['reports', 'parse', `@${REPORT}`], 2],
  [['reports', 'parse', '@bad.yaml'], 2],
  [['writeback', '--reports', '@missing-folder', '--records', '@good.mrc', '--out', '@o.mrc'], 4],
  [['writeback', '--reports', '@a-file', '--records', '@good.mrc', '--out', '@o.mrc'], 2],
  [['writeback', '--reports', '@a-folder', '--records', '@missing.mrc', '--out', '@o.mrc'], 4],
  [['writeback', '--reports', '@a-folder', '--records', '@bad.yaml', '--out', '@o.mrc'], 2],
  [['writeback', '--reports', '@a-folder', '--records', '@good.mrc', '--out', '@missing-folder/o.mrc'], 2],
  [['writeback', '--reports', '@a-folder', '--records', '@good.mrc', '--out', '@a-folder'], 2],
  [
    [
      'writeback',
      ...['--reports', '@a-folder', '--records', '@good.mrc', '--out', '@o.mrc'],
      ...['--exceptions', '@a-file/x.csv'],
    ],
    2,
  ],
  [['scenario', 'run', '@missing.yaml'], 4],
  [['scenario', 'run', '@missing-folder/'], 4],
  [['scenario', 'run', '@bad.yaml'], 2],
  [['scenario', 'run', '@types-scenario.yaml'], 2],
  [['scenario', 'run', '--junit-file', '@a-file/junit.xml', SUITE], 2],
  [['scenario', 'run', '--target', 'not a url', SUITE], 2],
  [['scenario', 'validate', '@missing.yaml'], 4],
  [['scenario', 'validate', '@bad.yaml'], 2],
  [['scenario', 'validate', '@types-scenario.yaml'], 2],
  [['scenario', 'list', '@missing-folder'], 4],
  [['check', '@missing.mrc'], 4],
  [['check', '@a-folder'], 2],
  [['check', '--config', '@missing.yaml', '@good.mrc'], 4],
  [['check', '--config', '@bad.yaml', '@good.mrc'], 2],
  [['check', '--out', '@a-file/out.txt', '@good.mrc'], 2],
  [['check', '--format', 'oclc', '--symbol', 'PUL', '--out', '@a-file/reports', '@good.mrc'], 2],
];

describe('every command with bad input: a clear error, never exit 70 or a stack trace', () => {
  it.concurrent.each(CORPUS.map(([args, code]) => [args.join(' '), args, code] as const))(
    '%s',
    async (_title, args, code) => {
      const argv = args.map((a) => (a.startsWith('@') ? at(a.slice(1)) : a));
      const result = await runCli(argv, { cwd: dir.path, env: { OCLC_PASSWORD: 'x' } });
      const output = `exit ${result.code}\n${result.stderr}${result.stdout}`;
      expect(output).not.toMatch(/internal error|\n\s+at \S+ \(|node:internal/);
      expect(result.stderr, output).toMatch(/^datasync-sim: Failed to |^error: /m);
      expect(result.code, output).toBe(code);
    },
  );
});
