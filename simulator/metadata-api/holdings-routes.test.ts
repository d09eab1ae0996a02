import { describe, expect, it } from 'vitest';
import { iso2709 } from '../../oclc/marc/write-marc.ts';
import { mfhd } from '../../test/fixtures/mfhd-fixtures.ts';
import {
  accessToken,
  api,
  bibWithOcn,
  startApiSimulator,
} from '../../test/support/metadata-api-simulator.ts';

const SET = (ocn: string) => `/manage/institution/holdings/${ocn}/set`;
const UNSET = (ocn: string) => `/manage/institution/holdings/${ocn}/unset`;

describe('Metadata API holdings: one WorldCat with Data Sync', () => {
  it("sets and unsets a holding by OCN, answering OCLC's fields and success: false when nothing changed", async () => {
    await using sim = await startApiSimulator();
    const token = await accessToken(sim);
    const first = await api(sim, token, 'POST', SET('123'));
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({
      controlNumber: '123',
      requestedControlNumber: '123',
      institutionCode: expect.stringMatching(/^\d{6}$/),
      institutionSymbol: 'PUL',
      success: true,
      message: 'Set Holding Succeeded.',
      action: 'Set Holdings',
    });
    expect(await (await api(sim, token, 'POST', SET('123'))).json()).toMatchObject({
      success: false,
      message: 'WorldCat Holding already set.',
    });
    const admin = await fetch(`${sim.adminUrl}/api/institutions/PUL/holdings`);
    expect(await admin.json()).toEqual({ symbol: 'PUL', ocns: ['123'] });
    expect(await (await api(sim, token, 'POST', UNSET('123'))).json()).toMatchObject({
      success: true,
      message: 'Unset Holdings Succeeded.',
      action: 'Unset Holdings',
    });
    expect(await (await api(sim, token, 'POST', UNSET('123'))).json()).toMatchObject({
      success: false,
      message: 'WorldCat Holding already unset.',
    });
    expect(sim.worldcat.holdings('PUL')).toEqual([]);
  });

  it("answers a merged number with the current control number and a deleted one with OCLC's 400", async () => {
    await using sim = await startApiSimulator({ worldcat: { merged: { '555': '777' }, deleted: ['666'] } });
    const token = await accessToken(sim);
    expect(await (await api(sim, token, 'POST', SET('555'))).json()).toMatchObject({
      controlNumber: '777',
      requestedControlNumber: '555',
      success: true,
    });
    expect(sim.worldcat.holdings('PUL')).toEqual(['777']);
    const gone = await api(sim, token, 'POST', SET('666'));
    expect(gone.status).toBe(400);
    expect(await gone.json()).toEqual({
      type: 'BAD_REQUEST',
      title: 'Unable to perform the bib read operation.',
      detail: { summary: 'NOT_FOUND', description: 'Not able to find the requested Bib' },
    });
    expect((await api(sim, token, 'POST', SET('ocm555'))).status).toBe(400);
    expect((await api(sim, token, 'POST', `${UNSET('777')}?cascadeDelete=maybe`)).status).toBe(400);
  });

  it('a holding a file set is already set for the API, and an API holding is one a file cancels', async () => {
    await using sim = await startApiSimulator();
    const token = await accessToken(sim);
    await sim.upload('PUL', '1012676.pul.first.mrc', bibWithOcn('b1', '124'));
    await sim.waitFor('file:processed');
    expect(await (await api(sim, token, 'POST', SET('124'))).json()).toMatchObject({ success: false });

    expect(await (await api(sim, token, 'POST', SET('900'))).json()).toMatchObject({ success: true });
    const cancel = Buffer.from(
      bibWithOcn('b9', '900')
        .toString('latin1')
        .replace(/^(\d{5})n/, '$1d'),
      'latin1',
    );
    await sim.upload('PUL', '1012676.pul.second.mrc', cancel);
    const processed = await sim.waitFor('file:processed', (f) => f.name === '1012676.pul.second.mrc');
    expect(processed.summary).toMatchObject({ holdingsCancelled: 1 });
    expect(sim.worldcat.holdings('PUL')).toEqual(['124']);
    expect(await (await api(sim, token, 'POST', UNSET('900'))).json()).toMatchObject({ success: false });
  });

  it("unset removes the institution's LHRs on the record, or is blocked by them with cascadeDelete=false", async () => {
    await using sim = await startApiSimulator();
    const token = await accessToken(sim);
    await sim.upload('PUL', '1012677.pul.lhrs.mrc', iso2709(mfhd({ lsn: 'L1', ocn: '321' })));
    await sim.waitFor('file:processed');
    expect(sim.worldcat.lhrs('PUL')).toHaveLength(1);
    const blocked = await api(sim, token, 'POST', `${UNSET('321')}?cascadeDelete=false`);
    expect(await blocked.json()).toMatchObject({
      success: false,
      message: 'Unset Holdings Failed. Local holdings records (LHRs) are attached to this record.',
    });
    expect(await (await api(sim, token, 'POST', UNSET('321'))).json()).toMatchObject({ success: true });
    expect(sim.worldcat.lhrs('PUL')).toEqual([]);
    expect(sim.worldcat.holdings('PUL')).toEqual([]);
  });

  it("a holding set or unset through the API is delivered by record output, as a file's would be", async () => {
    await using sim = await startApiSimulator({
      institutions: [
        {
          symbol: 'PUL',
          password: 'pul-secret',
          collections: [{ id: '1012676', type: 'bib', default: true, output: { frequency: 'daily' } }],
          wskeys: [{ key: 'pul-key', secret: 'pul-secret-1' }],
        },
      ],
    });
    const token = await accessToken(sim);
    await api(sim, token, 'POST', SET('123'));
    await api(sim, token, 'POST', SET('124'));
    expect(await sim.output.deliver({ symbol: 'PUL' })).toMatchObject([{ records: 2, byKind: { new: 2 } }]);
    await api(sim, token, 'POST', UNSET('124'));
    expect(await sim.output.deliver({ symbol: 'PUL' })).toMatchObject([
      { records: 1, byKind: { deletes: 1 } },
    ]);
  });
});
