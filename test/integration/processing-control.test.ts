import { writeFileSync } from 'node:fs';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../simulator/clock/clock.ts';
import { createAdminApp } from '../../simulator/admin/admin-app.ts';
import { iso2709 } from '../../oclc/marc/write-marc.ts';
import { connectAs } from '../support/sftp-test-client.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startTestSimulator, TEST_INSTITUTIONS } from '../support/test-simulator.ts';

const F008 = '260115s2020    nyu           000 0 eng d';
const bib = (lsn: string, ocn: string, leader5 = 'n') =>
  iso2709({
    leader: `00000${leader5}am a2200000 i 4500`,
    fields: [
      ['001', lsn],
      ['008', F008],
      ['035', '  ', 'a', `(OCoLC)${ocn}`],
      ['245', '10', 'a', `Title ${lsn}`],
    ],
  });

describe('processing modes', () => {
  it('manual: files wait in the queue until POST /api/processing/run', async () => {
    await using sim = await startTestSimulator({ processing: 'manual' });
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    await client.put('metacoll/in/bib/1012676.pul.a.mrc', bib('1', '100'));
    expect(sim.files.list()[0]?.state).toBe('queued');
    expect(await client.readdir('metacoll/reports')).toEqual([]);
    const res = await request(createAdminApp(sim))
      .post('/api/processing/run')
      .type('json')
      .send({})
      .expect(200);
    expect(res.body.processed).toEqual([
      expect.objectContaining({ name: '1012676.pul.a.mrc', state: 'processed' }),
    ]);
    expect(sim.worldcat.holdings('PUL')).toEqual(['100']);
    expect(
      (await client.readdir('metacoll/reports')).map((e) => /\.(\w+)\.txt$/.exec(e.filename)?.[1]),
    ).toEqual([
      'BibCrossRefReport',
      'BibExceptionReport',
      'BibProcessingReport',
      'BibUnresolvedCrossRefReport',
      'LbdProcessingReport',
    ]);
  });

  it('delay: files are processed when the injected clock passes the delay', async () => {
    const clock = new ManualClock();
    await using sim = await startTestSimulator({ processing: 'delay 4h' }, { clock });
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    await client.put('metacoll/in/bib/1012676.pul.b.mrc', bib('1', '100'));
    clock.advance(4 * 3600_000 - 1);
    expect(sim.files.list()[0]?.state).toBe('queued');
    const processed = sim.waitFor('file:processed');
    clock.advance(1);
    expect((await processed).state).toBe('processed');
  });

  it('processedAt is when processing finished, not when it started', async () => {
    const clock = new ManualClock();
    await using sim = await startTestSimulator({ processing: 'manual' }, { clock });
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    await client.put('metacoll/in/bib/1012676.pul.t.mrc', bib('1', '100'));
    const started = clock.now();
    // The clock moves while the worker processes (the worker asks for the time when it commits).
    void sim.waitFor('file:processing').then(() => clock.advance(90_000));
    const [file] = await sim.processing.run();
    expect(file?.processedAt).toBe(started + 90_000);
  });

  it('POST /api/clock/advance steps a manual clock and refuses the system clock', async () => {
    await using manual = await startTestSimulator({ processing: 'delay 1h', clock: 'manual' });
    await using client = await connectAs(manual, 'fx_pul', 'pul-secret');
    await client.put('metacoll/in/bib/1012676.pul.c.mrc', bib('1', '100'));
    const processed = manual.waitFor('file:processed');
    await request(createAdminApp(manual)).post('/api/clock/advance').send({ by: '1h' }).expect(200);
    await processed;
    await using system = await startTestSimulator();
    const refused = await request(createAdminApp(system))
      .post('/api/clock/advance')
      .send({ by: '1h' })
      .expect(409);
    expect(refused.body.error.message).toContain('clock: manual');
    await request(createAdminApp(manual)).post('/api/clock/advance').send({ by: 'soon' }).expect(400);
  });
});

describe('WorldCat state across files', () => {
  it('merged OCNs are reported with the current number; deleted ones are not matched', async () => {
    await using sim = await startTestSimulator({
      processing: 'manual',
      worldcat: { merged: { '111': '222' }, deleted: ['404'] },
    });
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    await client.put('metacoll/in/bib/1012676.pul.m.mrc', Buffer.concat([bib('1', '111'), bib('2', '404')]));
    await sim.processing.run();
    const report = (await client.readdir('metacoll/reports')).find((e) =>
      e.filename.endsWith('BibProcessingReport.txt'),
    );
    const rows = (await client.get(`metacoll/reports/${report?.filename ?? ''}`))
      .toString()
      .trim()
      .split('\n')
      .map((l) => l.split('|').slice(1));
    expect(rows).toEqual([
      ['1', '111', '222', 'match'],
      ['2', '404', '8000000001', 'unresolved'],
    ]);
  });

  it('the same LSN with a different OCN is an LBD error; deletes cancel holdings', async () => {
    await using sim = await startTestSimulator({ processing: 'manual' });
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    await client.put(
      'metacoll/in/bib/1012676.pul.day1.mrc',
      Buffer.concat([bib('1', '100'), bib('2', '200')]),
    );
    await sim.processing.run();
    await client.put(
      'metacoll/in/bib/1012676.pul.day2.mrc',
      Buffer.concat([bib('1', '101'), bib('2', '200', 'd')]),
    );
    await sim.processing.run();
    expect(sim.worldcat.holdings('PUL')).toEqual(['100', '101']);
    const names = (await client.readdir('metacoll/reports')).map((e) => e.filename);
    const lbd = names.find((n) => n.includes('day2') && n.endsWith('LbdExceptionReport.txt'));
    const text = (await client.get(`metacoll/reports/${lbd ?? ''}`)).toString();
    expect(text).toMatch(
      /^PUL_1012676_\d+::bib::0\|1\|101\|LBD_REJECTED\|New Record is trying to replace an In Use Local System Id\n$/,
    );
  });

  it('the same file name twice in a day: only the last is processed, the earlier is superseded', async () => {
    await using sim = await startTestSimulator({ processing: 'manual' });
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    await client.put('metacoll/in/bib/1012676.pul.same.mrc', bib('1', '100'));
    await client.put('metacoll/in/bib/1012676.pul.same.mrc', bib('1', '300'));
    await sim.processing.run();
    expect(sim.files.list().map((f) => f.state)).toEqual(['superseded', 'processed']);
    expect(sim.worldcat.holdings('PUL')).toEqual(['300']);
  });

  it('a delete-holdings collection cancels every record in the file', async () => {
    const institutions = TEST_INSTITUTIONS.map((i) =>
      i.symbol === 'PUL'
        ? { ...i, collections: [...i.collections, { id: '1012678', type: 'delete-holdings' as const }] }
        : i,
    );
    await using sim = await startTestSimulator({ processing: 'manual', institutions });
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    await client.put(
      'metacoll/in/bib/1012676.pul.add.mrc',
      Buffer.concat([bib('1', '100'), bib('2', '200')]),
    );
    await sim.processing.run();
    await client.put('metacoll/in/bib/1012678.pul.cancel.mrc', bib('1', '100'));
    await sim.processing.run();
    expect(sim.worldcat.holdings('PUL')).toEqual(['200']);
  });

  it('an upload on behalf of another institution sets its holdings; both get the reports', async () => {
    await using sim = await startTestSimulator({ processing: 'manual' });
    await using vendor = await connectAs(sim, 'fx_vnd', 'vnd-secret');
    await vendor.put('/xfer/PUL/metacoll/in/bib/1012676.pul.vendor.mrc', bib('1', '100'));
    await sim.processing.run();
    expect(sim.worldcat.holdings('PUL')).toEqual(['100']);
    expect(sim.worldcat.holdings('VND')).toEqual([]);
    const names = (await vendor.readdir('metacoll/reports')).map((e) => e.filename);
    expect(names.every((n) => n.startsWith('VND-PUL.1012676.IN.BIB.'))).toBe(true);
    await using pul = await connectAs(sim, 'fx_pul', 'pul-secret');
    expect((await pul.readdir('metacoll/reports')).map((e) => e.filename)).toEqual(names);
  });

  it('full match uses the configured WorldCat records', async () => {
    using dir = tempDir();
    const file = `${dir.path}/worldcat.mrc`;
    writeFileSync(
      file,
      iso2709({
        fields: [
          ['001', 'ocn987654321'],
          ['003', 'OCoLC'],
          ['008', F008],
          ['020', '  ', 'a', '9781234567897'],
          ['245', '10', 'a', 'Known book'],
        ],
      }),
    );
    await using sim = await startTestSimulator({ processing: 'manual', worldcat: { records: [file] } });
    await using client = await connectAs(sim, 'fx_pul', 'pul-secret');
    const incoming = iso2709({
      fields: [
        ['001', '5'],
        ['008', F008],
        ['020', '  ', 'a', '978-1-234-56789-7 (pbk.)'],
        ['245', '10', 'a', 'Local title'],
      ],
    });
    await client.put('metacoll/in/bib/1012676.pul.fm.mrc', incoming);
    const [file1] = await sim.processing.run();
    expect((await sim.files.outcomes(file1?.id ?? 0)).outcomes[0]).toMatchObject({
      worldcatOcn: '987654321',
      action: 'match',
    });
  });
});
