import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ocnKey, openStaging, resolveStagedHoldings } from './bib-staging.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function staging() {
  const dir = mkdtempSync(join(tmpdir(), 'bib-staging-'));
  dirs.push(dir);
  return openStaging(join(dir, 'staging.sqlite'));
}

describe('bib staging', () => {
  it("keeps each OCN's last holdings operation, whatever came before it", () => {
    const db = staging();
    const log = db.prepare('INSERT INTO s_holdings_log (ocn, cancel) VALUES (?, ?)');
    for (const [ocn, cancel] of [
      ['123', 0],
      ['456', 1],
      ['123', 1],
      ['456', 0],
      ['0042', 0],
      ['42', 1],
    ] as const)
      log.run(ocnKey(ocn), cancel);
    resolveStagedHoldings(db);
    const rows = db.prepare('SELECT ocn, cancel FROM s_holdings ORDER BY ocn').all();
    // An OCN written with leading zeros stays a different OCN from the canonical number.
    expect(rows).toEqual([
      { ocn: '0042', cancel: 0 },
      { ocn: '123', cancel: 1 },
      { ocn: '42', cancel: 1 },
      { ocn: '456', cancel: 0 },
    ]);
    db.close();
  });

  it('stores canonical OCNs as numbers and any other text as itself', () => {
    expect(ocnKey('9000000001')).toBe(9_000_000_001);
    expect(ocnKey('0')).toBe(0);
    expect(ocnKey('999999999999999')).toBe(999_999_999_999_999);
    for (const text of ['0042', '', '12a', '1234567890123456'])
      expect(Buffer.isBuffer(ocnKey(text)) && ocnKey(text).toString()).toBe(text);
  });
});
