import { describe, expect, it } from 'vitest';
import { parseIso2709Record } from '../../oclc/marc/parse-iso2709-record.ts';
import { iso2709, marcxmlRecord, type RecordSpec } from '../../oclc/marc/write-marc.ts';
import { mfhd } from '../../test/fixtures/mfhd-fixtures.ts';
import { accessToken, api, startApiSimulator } from '../../test/support/metadata-api-simulator.ts';

const MARCXML = 'application/marcxml+xml';

/** An LHR as a client creates one: no 001 (WorldCat numbers it), the OCN in 004. */
function newLhr(ocn: string, location = 'EAST-STACKS', symbol = 'PUL'): RecordSpec {
  return {
    leader: '00000nx  a2200000zi 4500',
    fields: [
      ['004', ocn],
      ['007', 'zu'],
      ['008', '1103280p    0   4001uueng0210908'],
      ['852', '  ', 'a', symbol, 'b', 'EAST', 'c', location],
      ['876', '  ', 'p', '879456'],
    ],
  };
}

const controlField = (xml: string, tag: string) =>
  new RegExp(`<marc:controlfield tag="${tag}">([^<]*)<`).exec(xml)?.[1];

describe('Metadata API LHRs: the same records Data Sync LHR files write', () => {
  it('creates, reads, replaces and deletes an LHR; the admin API sees each step', async () => {
    await using sim = await startApiSimulator();
    const token = await accessToken(sim);
    const created = await api(sim, token, 'POST', '/manage/lhrs', {
      body: marcxmlRecord(newLhr('312010'), ''),
      contentType: MARCXML,
      accept: MARCXML,
    });
    expect(created.status).toBe(200);
    expect(created.headers.get('content-type')).toMatch(/^application\/marcxml\+xml/);
    const xml = await created.text();
    const controlNumber = controlField(xml, '001') ?? '';
    expect(controlNumber).toMatch(/^\d{9}$/);
    expect(controlField(xml, '004')).toBe('312010');
    expect(xml).toContain('<marc:subfield code="c">EAST-STACKS</marc:subfield>');

    const admin = async () =>
      (await (await fetch(`${sim.adminUrl}/api/institutions/PUL/lhrs`)).json()) as unknown;
    expect(await admin()).toEqual({
      symbol: 'PUL',
      lhrs: [
        {
          ocn: '312010',
          lsn: controlNumber,
          holdingLibrary: 'EAST',
          location: 'EAST-STACKS',
          callNumber: '',
          barcodes: ['879456'],
          sourceFile: null,
        },
      ],
    });
    // Creating an LHR sets the holding, as an LHR file does.
    expect(sim.worldcat.holdings('PUL')).toEqual(['312010']);

    const asMarc = await api(sim, token, 'GET', `/manage/lhrs/${controlNumber}`, {
      accept: 'application/marc',
    });
    expect(asMarc.headers.get('content-type')).toMatch(/^application\/marc/);
    const parsed = parseIso2709Record(Buffer.from(await asMarc.arrayBuffer()));
    expect(parsed.ok && parsed.record.control('001')).toBe(controlNumber);
    expect(parsed.ok && parsed.record.first('876', 'p')).toBe('879456');

    const replaced = await api(sim, token, 'PUT', `/manage/lhrs/${controlNumber}`, {
      body: iso2709(newLhr('312010', 'WEST-ANNEX')),
      contentType: 'application/marc',
    });
    expect(replaced.status).toBe(200);
    expect(await admin()).toMatchObject({ lhrs: [{ lsn: controlNumber, location: 'WEST-ANNEX' }] });

    const deleted = await api(sim, token, 'DELETE', `/manage/lhrs/${controlNumber}`, { accept: MARCXML });
    expect(deleted.status).toBe(200);
    expect(controlField(await deleted.text(), '001')).toBe(controlNumber);
    expect(await admin()).toEqual({ symbol: 'PUL', lhrs: [] });
    expect((await api(sim, token, 'GET', `/manage/lhrs/${controlNumber}`)).status).toBe(404);
    expect(sim.worldcat.holdings('PUL')).toEqual(['312010']);
  });

  it("reads and replaces a file's LHR by its LSN, and a file replaces an LHR the API created", async () => {
    await using sim = await startApiSimulator();
    const token = await accessToken(sim);
    await sim.upload(
      'PUL',
      '1012677.pul.lhrs.mrc',
      iso2709(mfhd({ lsn: '7001', ocn: '321', barcodes: ['B1'] })),
    );
    await sim.waitFor('file:processed');
    const read = await api(sim, token, 'GET', '/manage/lhrs/7001', { accept: MARCXML });
    expect(read.status).toBe(200);
    const xml = await read.text();
    expect(controlField(xml, '004')).toBe('321');
    expect(xml).toContain('<marc:subfield code="p">B1</marc:subfield>');

    await api(sim, token, 'PUT', '/manage/lhrs/7001', {
      body: marcxmlRecord(newLhr('321', 'API-SHELF'), ''),
      contentType: MARCXML,
    });
    expect(sim.worldcat.lhrs('PUL')).toMatchObject([
      { lsn: '7001', location: 'API-SHELF', sourceFile: null },
    ]);

    await sim.upload(
      'PUL',
      '1012677.pul.lhrs2.mrc',
      iso2709(mfhd({ lsn: '7001', ocn: '321', location: 'FILE-SHELF' })),
    );
    await sim.waitFor('file:processed', (f) => f.name === '1012677.pul.lhrs2.mrc');
    expect(sim.worldcat.lhrs('PUL')).toMatchObject([
      { lsn: '7001', location: 'FILE-SHELF', sourceFile: { name: '1012677.pul.lhrs2.mrc' } },
    ]);
    const reread = await (await api(sim, token, 'GET', '/manage/lhrs/7001', { accept: MARCXML })).text();
    expect(reread).toContain('FILE-SHELF');
  });

  it("refuses an LHR Data Sync would refuse, with the exception report's message, and hides others' LHRs", async () => {
    await using sim = await startApiSimulator({ worldcat: { merged: {}, deleted: ['666'] } });
    const token = await accessToken(sim);
    const other = await api(sim, token, 'POST', '/manage/lhrs', {
      body: marcxmlRecord(newLhr('312010', 'X', 'AB@'), ''),
      contentType: MARCXML,
    });
    expect(other.status).toBe(400);
    expect(await other.json()).toEqual({
      type: 'BAD_REQUEST',
      title: 'Unable to perform the lhr create operation.',
      detail: '852 $a "AB@" is not PUL: this account cannot send holdings for it.',
    });
    const noOcn = newLhr('1');
    noOcn.fields = noOcn.fields.filter(([tag]) => tag !== '004');
    const missing = await api(sim, token, 'POST', '/manage/lhrs', {
      body: marcxmlRecord(noOcn, ''),
      contentType: MARCXML,
    });
    expect(await missing.json()).toMatchObject({
      detail: 'OCLC number not found in 004; this collection reads it from there.',
    });
    const gone = await api(sim, token, 'POST', '/manage/lhrs', {
      body: marcxmlRecord(newLhr('666'), ''),
      contentType: MARCXML,
    });
    expect(gone.status).toBe(400);
    expect(sim.worldcat.lhrs('PUL')).toEqual([]);

    const created = await api(sim, token, 'POST', '/manage/lhrs', {
      body: marcxmlRecord(newLhr('312010'), ''),
      contentType: MARCXML,
      accept: MARCXML,
    });
    const controlNumber = controlField(await created.text(), '001') ?? '';
    const abToken = await accessToken(sim, 'ab-key', 'ab-secret-1');
    expect((await api(sim, abToken, 'GET', `/manage/lhrs/${controlNumber}`)).status).toBe(404);
    expect((await api(sim, abToken, 'DELETE', `/manage/lhrs/${controlNumber}`)).status).toBe(404);
    const holdingsOnly = await accessToken(sim, 'pul-holdings', 'pul-secret-2');
    expect((await api(sim, holdingsOnly, 'GET', `/manage/lhrs/${controlNumber}`)).status).toBe(403);
  });
});
