import { describe, expect, it } from 'vitest';
import { iso2709, marcxmlRecord, type RecordSpec } from '../../oclc/marc/write-marc.ts';
import {
  accessToken,
  api,
  bibWithOcn,
  startApiSimulator,
} from '../../test/support/metadata-api-simulator.ts';

const MARCXML = 'application/marcxml+xml';
/** A bare <record> as OCLC's examples send it. */
const xml = (spec: RecordSpec) => marcxmlRecord(spec, '');
const record = (fields: Parameters<typeof iso2709>[0]['fields']) => ({
  leader: '00000nam a2200000 i 4500',
  fields,
});
const noOcn = (title: string, extra: Parameters<typeof iso2709>[0]['fields'] = []) =>
  record([
    ['001', 'local-1'],
    ['008', '260115s2020    nyu           000 0 eng d'],
    ['020', '  ', 'a', '9780306406157'],
    ['100', '1 ', 'a', 'Author, Ann'],
    ['245', '10', 'a', title],
    ['260', '  ', 'a', 'New York :', 'b', 'Pub,', 'c', '2020.'],
    ['300', '  ', 'a', '100 p.'],
    ...extra,
  ]);

describe('Metadata API bibs: match and validate as Data Sync does', () => {
  it('matches a record by its ISBN to the record a Data Sync file created, and answers none otherwise', async () => {
    await using sim = await startApiSimulator();
    await sim.upload('PUL', '1012676.pul.create.mrc', iso2709(noOcn('Matched title')));
    const processed = await sim.waitFor('file:processed');
    expect(processed.summary?.actions).toMatchObject({ create: 1 });
    const [created] = sim.worldcat.holdings('PUL');
    const token = await accessToken(sim);
    const res = await api(sim, token, 'POST', '/manage/bibs/match', {
      body: xml(noOcn('Another title for the same ISBN')),
      contentType: MARCXML,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      numberOfRecords: 1,
      briefRecords: [{ oclcNumber: created, isbns: ['9780306406157'], language: 'eng' }],
    });
    const other = noOcn('Nothing like it');
    other.fields = other.fields.filter((f) => f[0] !== '020');
    const none = await api(sim, token, 'POST', '/manage/bibs/match', {
      body: iso2709(other),
      contentType: 'application/marc',
    });
    expect(await none.json()).toEqual({ numberOfRecords: 0, briefRecords: [] });
  });

  it("validate answers VALID, or INVALID with the messages Data Sync's exception reports use", async () => {
    await using sim = await startApiSimulator();
    const token = await accessToken(sim);
    const ok = await api(sim, token, 'POST', '/manage/bibs/validate/validateFull', {
      body: xml(noOcn('Fine')),
      contentType: MARCXML,
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({
      status: { summary: 'VALID', description: 'The provided Bib is valid' },
    });
    const bad = await api(sim, token, 'POST', '/manage/bibs/validate/validateFull', {
      body: xml(noOcn('Bad', [['509', '  ', 'a', 'x']])),
      contentType: MARCXML,
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      status: {
        summary: 'INVALID',
        description: 'The provided Bib is invalid',
        validationErrors: {
          errorCount: 1,
          errors: ['Invalid tag 509.'],
          variableFieldErrors: [{ tag: '509', errorLevel: 'SEVERE', message: 'Invalid tag 509.' }],
        },
      },
    });
    const noNumber = await api(sim, token, 'POST', '/manage/bibs/validate/validateReplace', {
      body: xml(noOcn('Fine')),
      contentType: MARCXML,
    });
    expect(await noNumber.json()).toMatchObject({ status: { summary: 'BIB_LACKS_CONTROL_NUMBER' } });
    const broken = await api(sim, token, 'POST', '/manage/bibs/validate/validateFull', {
      body: '<record><leader>',
      contentType: MARCXML,
    });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ title: 'Unable to crosswalk the record.' });
  });
});

describe('Metadata API holdings with a MARC record', () => {
  it("sets and unsets the holding the record's 035 names; a record without a number is refused", async () => {
    await using sim = await startApiSimulator();
    const token = await accessToken(sim);
    const set = await api(sim, token, 'POST', '/manage/institution/holdings/set', {
      body: bibWithOcn('b1', '4321'),
      contentType: 'application/marc',
    });
    expect(await set.json()).toMatchObject({ controlNumber: '4321', success: true, action: 'Set Holdings' });
    expect(sim.worldcat.holdings('PUL')).toEqual(['4321']);
    const unset = await api(sim, token, 'POST', '/manage/institution/holdings/unset', {
      body: xml(
        record([
          ['035', '  ', 'a', '(OCoLC)4321'],
          ['245', '10', 'a', 'T'],
        ]),
      ),
      contentType: MARCXML,
    });
    expect(await unset.json()).toMatchObject({
      controlNumber: '4321',
      success: true,
      action: 'Unset Holdings',
    });
    const missing = await api(sim, token, 'POST', '/manage/institution/holdings/set', {
      body: xml(noOcn('No number')),
      contentType: MARCXML,
    });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ status: { summary: 'BIB_LACKS_CONTROL_NUMBER' } });
  });
});
