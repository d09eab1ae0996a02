import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { startTestSimulator, uploadFile, waitForOutcome } from 'datasync-sim/testing';

const records = fileURLToPath(new URL('../../scenarios/fixtures/bib-day1.mrc', import.meta.url));

it('sets the holdings of every record in an uploaded bib file', async () => {
  await using sim = await startTestSimulator();

  await uploadFile(sim, {
    user: 'fx_pul',
    password: 'pul-secret',
    data: records,
    name: '1012676.pul.bibs.20260115.mrc',
  });
  const file = await waitForOutcome(sim, '1012676.pul.bibs.20260115.mrc');

  expect(file.state).toBe('processed');
  expect(file.summary?.records).toBe(3);
  expect(sim.worldcat.holdings('PUL')).toEqual(['100', '200', '300']);
});
