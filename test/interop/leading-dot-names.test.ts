import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTools } from '../support/require-tool.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startTestSimulator, type TestSimulator } from '../support/test-simulator.ts';
import { MATRIX_CLIENTS, type MatrixContext } from './matrix/matrix-clients.ts';

const FIXTURE = new URL('../../scenarios/fixtures/bib-day1.mrc', import.meta.url);
const BIB = '/xfer/metacoll/in/bib';

let dir: { path: string } & Disposable;
let sim: TestSimulator;

beforeAll(async () => {
  requireTools('sftp', 'sshpass', 'lftp', 'curl', 'paramiko', 'rclone', 'psftp');
  dir = tempDir();
  copyFileSync(FIXTURE, join(dir.path, 'records.mrc'));
  sim = await startTestSimulator({ processing: 'immediate' });
});

afterAll(async () => {
  await sim?.stop();
  dir?.[Symbol.dispose]();
});

const context = (): MatrixContext => ({ sim, dir: dir.path, user: 'fx_pul', password: 'pul-secret' });

describe('a file left under a leading-dot name, per client', () => {
  it.each(MATRIX_CLIENTS.map((c) => [c.name, c] as const))(
    '%s: stays temporary, journalled as abandoned, never processed',
    async (_name, client) => {
      const slug =
        client.name
          .split(' ')[0]
          ?.toLowerCase()
          .replace(/[^a-z0-9]/g, '') ?? 'client';
      const name = `.1012676.pul.${slug}-dot.mrc`;
      const abandoned = sim.waitFor('upload:abandoned', (f) => f.name === name, { timeoutMs: 30_000 });
      const put = await client.put(context(), 'records.mrc', `${BIB}/${name}`);
      expect(put.ok, put.out).toBe(true);
      expect(await abandoned).toMatchObject({ name, state: 'temporary' });
      await sim.processing.run();
      expect(
        sim.files
          .list()
          .filter((f) => f.name === name)
          .map((f) => f.state),
      ).toEqual(['temporary']);
    },
    60_000,
  );
});
