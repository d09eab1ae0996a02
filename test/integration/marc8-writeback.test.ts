import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { writeback } from '../../client/writeback.ts';
import { Iso2709Reader } from '../../oclc/marc/iso2709-reader.ts';
import { requireTools } from '../support/require-tool.ts';
import { tempDir } from '../support/temp-dir.ts';

function read(bytes: Buffer) {
  const reader = new Iso2709Reader();
  return [...reader.push(bytes), ...reader.end()].flatMap((i) => (i.kind === 'record' ? [i.record] : []));
}

describe('write-back on MARC-8 records', () => {
  it('adds only the 035: every other field keeps its bytes, untouched records stay identical', async () => {
    requireTools('marc-examples');
    const input = gunzipSync(readFileSync('/usr/share/doc/idzebra-2.0/examples/marc21/sample-marc.gz'));
    const originals = read(input);
    expect(originals.every((r) => r.leader[9] === ' ')).toBe(true);
    using dir = tempDir();
    const reports = join(dir.path, 'reports');
    mkdirSync(reports);
    const chosen = originals.filter((_, i) => i % 3 === 0);
    const lines = chosen.map((r, i) => `${r.control('001')?.trim() ?? ''}\t${9_000_000_000 + i}`);
    writeFileSync(
      join(reports, 'X-X.1234567.IN.BIB.D20260115.T000000000.f.mrc.BibCrossRefReport.txt'),
      `${lines.join('\n')}\n`,
    );
    const records = join(dir.path, 'in.mrc');
    writeFileSync(records, input);

    const result = await writeback(reports, records);
    const updated = read(result.output);
    expect(updated).toHaveLength(originals.length);
    expect(result.added + result.replaced).toBe(chosen.length);
    originals.forEach((before, i) => {
      const after = updated[i];
      if (!after) throw new Error('missing record');
      const index = chosen.indexOf(before);
      if (index === -1) {
        expect(after.bytes.equals(before.bytes)).toBe(true);
        return;
      }
      const others = (fields: readonly { tag: string; data: Buffer }[]) =>
        fields
          .filter(
            (f) => !(f.tag === '035' && f.data.includes(Buffer.from(`(OCoLC)${9_000_000_000 + index}`))),
          )
          .map((f) => `${f.tag}:${f.data.toString('hex')}`);
      expect(others(after.fields)).toEqual(
        before.fields
          .filter((f) => !(f.tag === '035' && f.data.includes(Buffer.from('(OCoLC)'))))
          .map((f) => `${f.tag}:${f.data.toString('hex')}`),
      );
      expect(after.values('035', 'a')).toContain(`(OCoLC)${9_000_000_000 + index}`);
      expect(after.leader.slice(5, 12)).toBe(before.leader.slice(5, 12));
      expect(after.leader[9]).toBe(' ');
    });
  });

  it('keeps every byte outside the changed fields, the padding after the last record included', async () => {
    requireTools('marc-examples');
    const input = gunzipSync(readFileSync('/usr/share/doc/idzebra-2.0/examples/marc21/sample-marc.gz'));
    const originals = read(input);
    const end = originals.reduce((n, r) => n + r.bytes.length, 0);
    expect(input.length).toBeGreaterThan(end);
    using dir = tempDir();
    const records = join(dir.path, 'in.mrc');
    writeFileSync(records, input);
    // No report names these records, so nothing changes and the output is the input, byte for byte.
    const result = await writeback(dir.path, records);
    expect(result.notInReports).toBe(originals.length);
    expect(result.output.equals(input)).toBe(true);
  });
});
