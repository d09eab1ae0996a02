import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../simulator/clock/clock.ts';
import type { ConfigInput } from '../../simulator/config/config-schema.ts';
import { iso2709 } from '../../oclc/marc/write-marc.ts';
import { runOpenSshSftp } from '../support/openssh-sftp.ts';
import { requireTools } from '../support/require-tool.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startTestSimulator, type TestSimulator } from '../support/test-simulator.ts';

const HOUR = 3_600_000;
/** 2026-01-15 10:00 EST; the next 01:00 Eastern is 15 hours on. */
const START = Date.UTC(2026, 0, 15, 15);
const PRODUCTION = (symbol: string, collection: string, ext = 'mrc') =>
  new RegExp(
    `^metacoll\\.${symbol}\\.(deletes|new|updates|merges)\\.(D|W|M|Q)20\\d{6}\\.T\\d{6}\\.${collection}\\.\\d+\\.${ext}$`,
  );

type Output = NonNullable<NonNullable<ConfigInput['institutions']>[number]['collections'][number]['output']>;

const sims: TestSimulator[] = [];
afterEach(async () => {
  for (const sim of sims.splice(0)) await sim.stop();
});

async function simWith(output: Output | undefined): Promise<{ sim: TestSimulator; clock: ManualClock }> {
  const clock = new ManualClock(START);
  const sim = await startTestSimulator(
    {
      institutions: [
        {
          symbol: 'PUL',
          password: 'pul-secret',
          collections: [{ id: '1012676', type: 'bib', default: true, ...(output ? { output } : {}) }],
        },
      ],
      processing: 'immediate',
      clock: 'manual',
    },
    { clock },
  );
  sims.push(sim);
  return { sim, clock };
}

const record = (lsn: string, ocn: string | undefined, title: string, status = 'n') =>
  iso2709({
    leader: `00000${status}am a2200000 i 4500`,
    fields: [
      ['001', lsn],
      ['008', '260115s2020    nyu           000 0 eng d'],
      ...(ocn ? [['035', '  ', 'a', `(OCoLC)${ocn}`]] : []),
      ['100', '1 ', 'a', 'Author, Ann'],
      ['245', '10', 'a', title],
      ['260', '  ', 'a', 'New York :', 'b', 'Pub,', 'c', '2020.'],
      ['300', '  ', 'a', '100 p.'],
      ['907', '  ', 'a', `local-${lsn}`],
    ],
  });

async function upload(sim: TestSimulator, name: string, records: Buffer[]): Promise<void> {
  const processed = sim.waitFor('file:processed', (f) => f.name === name);
  await sim.upload('PUL', name, Buffer.concat(records));
  await processed;
}

function outFolder(sim: TestSimulator, folder: string): string {
  return join(sim.dataDir, 'xfer', 'pul', 'metacoll', 'out', 'ongoing', folder);
}

/** yaz-marcdump, an independent MARC reader, as text (one record after another). */
function yazDump(file: string, encoding: 'utf8' | 'marc8' = 'utf8', xml = false): string {
  const args = xml
    ? ['-i', 'marcxml', file]
    : ['-f', encoding === 'marc8' ? 'marc8' : 'utf8', '-t', 'utf8', file];
  const run = spawnSync('yaz-marcdump', args, { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout;
}

describe('record output', () => {
  it('delivers new records at 01:00 Eastern with OCLC names, WorldCat numbers and the LSN', async () => {
    requireTools('yaz-marcdump');
    const { sim, clock } = await simWith({ enabled: true });
    await upload(sim, '1012676.pul.day1.mrc', [
      record('991', '100', 'Matched by number'),
      record('992', undefined, 'A book WorldCat never saw'),
    ]);
    const delivered = sim.waitFor('output:delivered');
    clock.advance(16 * HOUR);
    const event = await delivered;
    expect(event).toMatchObject({ symbol: 'PUL', collectionId: '1012676', records: 2 });
    expect(event.files).toEqual([
      '/xfer/metacoll/out/ongoing/new/metacoll.PUL.new.D20260116.T010000.1012676.1.mrc',
    ]);
    const names = readdirSync(outFolder(sim, 'new'));
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(PRODUCTION('PUL', '1012676'));
    const dump = yazDump(join(outFolder(sim, 'new'), names[0] ?? ''));
    expect(dump).toContain('001 ocm00000100');
    expect(dump).toContain('003 OCoLC');
    expect(dump).toContain('035    $a (OCoLC)100');
    expect(dump).toContain('907    $a 991');
    expect(dump).toContain('907    $a 992');
    expect(dump).toContain('245 10 $a A book WorldCat never saw');
    expect(dump).toMatch(/001 on9000000001/);
    expect(dump).not.toContain('local-991');
  });

  it('writes nothing for a collection without output', async () => {
    const { sim, clock } = await simWith(undefined);
    await upload(sim, '1012676.pul.day1.mrc', [record('991', '100', 'One')]);
    clock.advance(3 * 24 * HOUR);
    await sim.output.idle();
    for (const folder of ['new', 'updates', 'deletes'])
      expect(readdirSync(outFolder(sim, folder))).toEqual([]);
    await expect(sim.output.deliver()).rejects.toThrow(/record output is off/);
  });

  it('delivers admin edits as updates, merges as merges files, and later matching follows the merge', async () => {
    requireTools('yaz-marcdump');
    const { sim } = await simWith({ enabled: true, lsnField: '035$9' });
    await upload(sim, '1012676.pul.day1.mrc', [
      record('991', '100', 'First'),
      record('992', '200', 'Second'),
    ]);
    await sim.output.deliver();
    const api = async (method: string, path: string, body: unknown) => {
      const res = await fetch(`${sim.adminUrl}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const edited = await api('PATCH', '/api/worldcat/records/100', {
      leader: '00000nam a2200000 i 4500',
      fields: [
        { '001': 'ignored' },
        { '245': { ind1: '1', ind2: '0', subfields: [{ a: 'Corrected títle' }] } },
      ],
    });
    expect(edited.status).toBe(200);
    expect(JSON.stringify(edited.body)).toContain('ocm00000100');
    const merged = await api('POST', '/api/worldcat/merge', { from: '200', to: '100' });
    expect(merged).toEqual({ status: 200, body: { from: '200', to: '100', holders: ['PUL'] } });
    const again = await api('POST', '/api/worldcat/merge', { from: '200', to: '100' });
    expect(again.status).toBe(409);
    expect(JSON.stringify(again.body)).toContain('already merged into 100');
    expect(sim.worldcat.holdings('PUL')).toEqual(['100']);

    const [delivery] = await sim.output.deliver();
    expect(delivery?.byKind).toEqual({ new: 0, updates: 0, deletes: 0, merges: 1 });
    const mergesFile = delivery?.files[0] ?? '';
    expect(mergesFile).toMatch(/\/updates\/metacoll\.PUL\.merges\.D20260115\.T100000\.1012676\.1\.mrc$/);
    const dump = yazDump(join(outFolder(sim, 'updates'), mergesFile.split('/').pop() ?? ''));
    expect(dump).toContain('019    $a 200');
    expect(dump).toContain('035    $a (OCoLC)100 $z (OCoLC)200\n035    $9 991');
    expect(dump).toContain('245 10 $a Corrected títle');

    await sim.records.edit('100', sim.records.get('100')?.record ?? fail());
    const [updates] = await sim.output.deliver();
    expect(updates?.byKind.updates).toBe(1);

    // A later file still sending the old number matches the merged record.
    await upload(sim, '1012676.pul.day2.mrc', [record('993', '200', 'Old number')]);
    const outcomes = await sim.files.outcomes(sim.files.list().at(-1)?.id ?? 0);
    expect(outcomes.outcomes[0]).toMatchObject({ incomingOcn: '200', worldcatOcn: '100' });
  });

  it('delivers holdings removed as deletes, in MARCXML and as MARC-8 that yaz reads back', async () => {
    requireTools('yaz-marcdump');
    const xml = await simWith({ enabled: true, format: 'marcxml', frequency: 'weekly' });
    await upload(xml.sim, '1012676.pul.day1.mrc', [
      record('991', '100', 'Kept'),
      record('992', '200', 'Dropped'),
    ]);
    await upload(xml.sim, '1012676.pul.day2.mrc', [record('992', '200', 'Dropped', 'd')]);
    const delivered = xml.sim.waitFor('output:delivered');
    xml.clock.advance(5 * 24 * HOUR);
    const event = await delivered;
    // 2026-01-15 is a Thursday: the weekly delivery is Monday 19 January at 01:00 Eastern.
    expect(event.files.map((f) => f.split('/').slice(-2).join('/'))).toEqual([
      'new/metacoll.PUL.new.W20260119.T010000.1012676.1.xml',
    ]);
    const dumpNew = yazDump(
      join(outFolder(xml.sim, 'new'), event.files[0]?.split('/').pop() ?? ''),
      'utf8',
      true,
    );
    expect(dumpNew).toContain('(OCoLC)100');
    expect(dumpNew).not.toContain('(OCoLC)200');

    const marc8 = await simWith({ enabled: true, encoding: 'marc8', include: ['new', 'deletes'] });
    await upload(marc8.sim, '1012676.pul.day1.mrc', [record('991', '100', 'Łódź café crème')]);
    await marc8.sim.output.deliver();
    await upload(marc8.sim, '1012676.pul.day2.mrc', [record('991', '100', 'Łódź café crème', 'd')]);
    const [deletes] = await marc8.sim.output.deliver();
    expect(deletes?.byKind).toEqual({ new: 0, updates: 0, deletes: 1, merges: 0 });
    const deleted = yazDump(
      join(outFolder(marc8.sim, 'deletes'), deletes?.files[0]?.split('/').pop() ?? ''),
      'marc8',
    );
    expect(deleted).toMatch(/^\d{5}d/);
    expect(deleted).toContain('907    $a 991');
    const none = await marc8.sim.output.deliver();
    expect(none[0]?.files).toEqual([]);
    await upload(marc8.sim, '1012676.pul.day3.mrc', [record('995', '500', 'Łódź café crème')]);
    const [d] = await marc8.sim.output.deliver();
    const file = join(outFolder(marc8.sim, 'new'), d?.files[0]?.split('/').pop() ?? '');
    const bytes = readFileSync(file);
    expect(bytes[9]).toBe(0x20);
    expect(bytes.includes(Buffer.from([0xa1, 0xe2, 0x6f, 0x64, 0xe2, 0x7a]))).toBe(true);
    expect(yazDump(file, 'marc8').normalize('NFC')).toContain('245 10 $a Łódź café crème');
  });

  it('zips files after 7 simulated days and removes them after 90', async () => {
    const { sim, clock } = await simWith({ enabled: true });
    await upload(sim, '1012676.pul.day1.mrc', [record('991', '100', 'One')]);
    const [d] = await sim.output.deliver();
    const name = d?.files[0]?.split('/').pop() ?? '';
    const zipped = sim.waitFor('output:zipped');
    clock.advance(8 * 24 * HOUR);
    expect((await zipped).path).toBe(`${d?.files[0] ?? ''}.zip`);
    await sim.output.idle();
    expect(readdirSync(outFolder(sim, 'new'))).toEqual([`${name}.zip`]);
    const unzip = spawnSync('unzip', ['-p', join(outFolder(sim, 'new'), `${name}.zip`)]);
    expect(unzip.stdout.includes(Buffer.from('(OCoLC)100'))).toBe(true);
    const removed = sim.waitFor('output:removed');
    clock.advance(83 * 24 * HOUR);
    await removed;
    await sim.output.idle();
    expect(existsSync(join(outFolder(sim, 'new'), `${name}.zip`))).toBe(false);
    expect(await sim.output.files()).toEqual([]);
    expect((await sim.output.files({ includeRemoved: true }))[0]?.removedAt).not.toBeNull();
  });
});

describe('output folders over SFTP', () => {
  it('OpenSSH sftp downloads delivered files and may neither write nor remove there', async () => {
    requireTools('sftp', 'sshpass');
    const { sim } = await simWith({ enabled: true });
    await upload(sim, '1012676.pul.day1.mrc', [record('991', '100', 'One')]);
    const [d] = await sim.output.deliver();
    const path = d?.files[0] ?? '';
    using tmp = tempDir();
    const dir = tmp.path;
    writeFileSync(join(dir, 'local.mrc'), 'x');
    const run = await runOpenSshSftp({
      sim,
      dir,
      user: 'fx_pul',
      password: 'pul-secret',
      batch: [`get ${path} got.mrc`, '-put local.mrc /xfer/metacoll/out/ongoing/new/mine.mrc', `-rm ${path}`],
    });
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(join(dir, 'got.mrc')).includes(Buffer.from('(OCoLC)100'))).toBe(true);
    expect(run.stderr).toMatch(/mine\.mrc[\s\S]*(denied|read-only)/i);
    expect(readdirSync(outFolder(sim, 'new'))).toEqual([path.split('/').pop()]);
  });
});

function fail(): never {
  throw new Error('expected a record');
}
