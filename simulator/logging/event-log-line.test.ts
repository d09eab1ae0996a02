import { describe, expect, it } from 'vitest';
import { eventLogLine } from './event-log-line.ts';

const at = Date.UTC(2026, 0, 15, 12, 0, 0);
const file = {
  id: 3,
  account: 'fx_pul',
  name: '1012676.pul.bad name.mrc',
  state: 'refused',
  size: null,
  reason: 'spaces are not allowed in file names',
  summary: null,
};

describe('event log lines', () => {
  it.each([
    [
      'auth:refused',
      { user: 'fx_pul', method: 'password', reason: 'wrong password' },
      'user=fx_pul method=password reason="wrong password"',
    ],
    ['upload:refused', file, '#3 fx_pul "1012676.pul.bad name.mrc": spaces are not allowed in file names'],
    [
      'file:processed',
      {
        ...file,
        name: 'a.mrc',
        state: 'processed',
        size: 120,
        reason: null,
        summary: { records: 3, actions: { match: 2, create: 1 } },
      },
      '#3 fx_pul "a.mrc" 120 bytes 3 records (match 2, create 1)',
    ],
  ])('text: %s', (event, payload, said) => {
    expect(eventLogLine('text', at, event, payload)).toBe(`2026-01-15T12:00:00.000Z ${event} ${said}`);
  });

  it('json: one object per line with time, event and the payload', () => {
    const line = eventLogLine('json', at, 'auth:accepted', {
      account: 'fx_pul',
      symbol: 'PUL',
      method: 'password',
    });
    expect(JSON.parse(line)).toEqual({
      time: '2026-01-15T12:00:00.000Z',
      event: 'auth:accepted',
      account: 'fx_pul',
      symbol: 'PUL',
      method: 'password',
    });
  });

  it('never writes a password or token, at any depth', () => {
    const payload = { user: 'fx_pul', password: 'pul-secret', nested: { adminToken: 'abc', keep: 1 } };
    for (const format of ['text', 'json'] as const) {
      const line = eventLogLine(format, at, 'auth:refused', payload);
      expect(line).not.toContain('pul-secret');
      expect(line).not.toContain('abc');
    }
  });
});
