import { describe, expect, it } from 'vitest';
import { DataSyncError } from '../../oclc/error-catalogue.ts';
import { FaultRules } from './fault-rules.ts';

const failure = { status: 'failure' } as const;

describe('FaultRules', () => {
  it.each([
    ['operation', { operation: 'open' }, { operation: 'open', path: '/xfer/a.mrc' }, true],
    ['another operation', { operation: 'open' }, { operation: 'stat', path: '/xfer/a.mrc' }, false],
    [
      'a name glob anywhere',
      { path: '*.mrc' },
      { operation: 'open', path: '/xfer/metacoll/in/bib/a.mrc' },
      true,
    ],
    [
      'a full path glob',
      { path: '/xfer/metacoll/in/*/a.mrc' },
      { operation: 'open', path: '/xfer/metacoll/in/bib/a.mrc' },
      true,
    ],
    [
      'a path glob that misses',
      { path: '/xfer/metacoll/reports/*' },
      { operation: 'open', path: '/xfer/metacoll/in/bib/a.mrc' },
      false,
    ],
    ['the account, any case', { account: 'FX_PUL' }, { operation: 'open', account: 'fx_pul' }, true],
    ['another account', { account: 'fx_ab_64' }, { operation: 'open', account: 'fx_pul' }, false],
  ] as const)('matches by %s', (_name, match, call, fires) => {
    const rules = new FaultRules();
    rules.add({ match, action: failure });
    expect(rules.take(call) !== undefined).toBe(fires);
  });

  it('uses a rule up after `times`, and the newest matching rule wins', () => {
    const rules = new FaultRules();
    rules.add({ action: { status: 'no-such-file' } });
    rules.add({ action: failure, times: 2 });
    const statuses = [1, 2, 3].map(() => {
      const action = rules.take({ operation: 'stat' });
      return action && 'status' in action ? action.status : undefined;
    });
    expect(statuses).toEqual(['failure', 'failure', 'no-such-file']);
    expect(rules.list().map((r) => r.used)).toEqual([1, 2]);
  });

  it('fires only on the n-th matching call with nth', () => {
    const rules = new FaultRules();
    rules.add({ match: { operation: 'rename', nth: 3 }, action: failure });
    const fired = [1, 2, 3, 4].map(() => rules.take({ operation: 'rename' }) !== undefined);
    expect(fired).toEqual([false, false, true, false]);
  });

  it('names rules that never fired', () => {
    const rules = new FaultRules();
    const used = rules.add({ match: { operation: 'open' }, action: failure });
    const unused = rules.add({ match: { operation: 'remove' }, action: failure });
    rules.take({ operation: 'open' });
    expect(rules.unused().map((r) => r.id)).toEqual([unused.id]);
    expect(rules.remove(used.id)).toBe(true);
    expect(rules.remove(used.id)).toBe(false);
  });

  it('refuses a malformed rule naming every problem', () => {
    const rules = new FaultRules();
    let error: unknown;
    try {
      rules.add({ match: { operation: 'teleport' }, action: { delay: 'soon' }, times: 0 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataSyncError);
    const message = (error as DataSyncError).message;
    expect(message).toContain('match.operation');
    expect(message).toContain('times');
    expect((error as DataSyncError).code).toBe('FAULT_INVALID');
  });
});
