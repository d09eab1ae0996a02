import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../config/load-config.ts';
import { resolveLogin } from './resolve-login.ts';

const { institutions } = parseConfigText(
  `institutions:
  - { symbol: "AB@", password: x, collections: [{ id: "1234567", type: bib }] }
  - { symbol: PUL, password: y, collections: [{ id: "1012676", type: bib }] }
`,
  'test',
);

describe('resolveLogin', () => {
  it.each([
    ['fx_ab_64', 'AB@', false],
    ['ab_64', 'AB@', true],
    ['fx_pul', 'PUL', false],
    ['pul', 'PUL', true],
  ])('%s logs in to %s', (user, symbol, legacy) => {
    expect(resolveLogin(user, institutions)).toMatchObject({ ok: true, institution: { symbol }, legacy });
  });

  it('explains an unencoded special character with the name to use', () => {
    const result = resolveLogin('fx_ab@', institutions);
    expect(result).toMatchObject({ ok: false, reason: "'@' in the user name must be written '_64'" });
    if (result.ok) return;
    expect(result.explanation).toBe(
      `Failed to log in as "fx_ab@": '@' in the user name must be written '_64'. Log in as fx_ab_64.`,
    );
    expect(resolveLogin('ab@', institutions)).toMatchObject({
      ok: false,
      explanation: expect.stringContaining('Log in as ab_64.'),
    });
  });

  it('explains upper-case user names', () => {
    expect(resolveLogin('FX_PUL', institutions)).toMatchObject({
      ok: false,
      reason: 'user names are lower case',
    });
  });

  it('gives no hint for unknown accounts', () => {
    expect(resolveLogin('fx_nobody', institutions)).toEqual({
      ok: false,
      reason: 'no such account',
      explanation: undefined,
    });
  });
});
