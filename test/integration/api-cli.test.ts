import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bibWithOcn, startApiSimulator } from '../support/metadata-api-simulator.ts';
import { runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

const flags = (sim: { adminUrl: string }) => [
  '--base-url',
  `${sim.adminUrl}/worldcat`,
  '--token-url',
  `${sim.adminUrl}/oauth/token`,
  '--key',
  'pul-key',
];
const env = { OCLC_SECRET: 'pul-secret-1' };

describe('datasync-sim api', () => {
  it('token, set, unset twice and current against a served simulator, with exit codes by success', async () => {
    await using sim = await startApiSimulator();
    const token = await runCli(['api', ...flags(sim), 'token'], { env });
    expect(token.stderr).toBe('');
    expect(token.code).toBe(0);
    expect(token.stdout).toMatch(
      /^tk_\S+ \(bearer, scopes WorldCatMetadataAPI\), expires 2026-01-15 15:19:59Z\n$/,
    );

    const set = await runCli(['api', ...flags(sim), 'set', '123', '124'], { env });
    expect(set).toMatchObject({
      code: 0,
      stdout: '123: Set Holding Succeeded.\n124: Set Holding Succeeded.\n',
    });
    expect(sim.worldcat.holdings('PUL')).toEqual(['123', '124']);

    expect(await runCli(['api', ...flags(sim), 'unset', '123'], { env })).toMatchObject({
      code: 0,
      stdout: '123: Unset Holdings Succeeded.\n',
    });
    expect(await runCli(['api', ...flags(sim), 'unset', '123'], { env })).toMatchObject({
      code: 1,
      stdout: '123: not done: WorldCat Holding already unset.\n',
    });
    const ocns = Array.from({ length: 11 }, (_, i) => String(120 + i));
    const current = await runCli(['api', ...flags(sim), '--json', 'current', ...ocns], { env });
    expect(current.code).toBe(0);
    const answers = JSON.parse(current.stdout) as {
      status: number;
      body: { holdings: { holdingSet: boolean }[] };
    }[];
    expect(answers.map((a) => a.body.holdings.length)).toEqual([10, 1]);
    expect(answers[0]?.body.holdings.filter((h) => h.holdingSet)).toHaveLength(1);
  });

  it('match and validate a MARC file record by record', async () => {
    await using sim = await startApiSimulator();
    using dir = tempDir();
    const file = join(dir.path, 'records.mrc');
    writeFileSync(file, Buffer.concat([bibWithOcn('b1', '123', 'One'), bibWithOcn('b2', undefined, 'Two')]));
    const match = await runCli(['api', ...flags(sim), 'match', file], { env });
    expect(match.stdout).toBe('record 1: matched 123 "One"\nrecord 2: no match in WorldCat\n');
    expect(match.code).toBe(0);
    const validate = await runCli(['api', ...flags(sim), 'validate', file], { env });
    expect(validate).toMatchObject({ code: 0, stdout: 'record 1: valid\nrecord 2: valid\n' });
  });

  it('says where the secret goes when OCLC_SECRET is missing (exit 2), and a refused token exits 3', async () => {
    await using sim = await startApiSimulator();
    const missing = await runCli(['api', ...flags(sim), 'token'], { env: { OCLC_SECRET: '' } });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Set OCLC_SECRET in the environment to the secret of --key pul-key');
    const refused = await runCli(['api', ...flags(sim), 'set', '1'], { env: { OCLC_SECRET: 'wrong' } });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('401');
  });
});
