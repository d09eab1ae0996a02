import { describe, expect, it } from 'vitest';
import { accountNamesFor, encodeSymbol, firstUnencodedCharacter } from './symbol-encoding.ts';

describe('encodeSymbol follows OCLC examples', () => {
  it.each([
    ['ab@', 'ab_64'],
    ['a$b', 'a_36b'],
    ['ab#', 'ab_35'],
    ['PUL', 'PUL'],
    ['A@$#', 'A_64_36_35'],
  ])('%s → %s', (symbol, encoded) => {
    expect(encodeSymbol(symbol)).toBe(encoded);
  });
});

describe('accountNamesFor', () => {
  it('gives fx_ and legacy names in lower case, encoded', () => {
    expect(accountNamesFor('AB@')).toEqual({ current: 'fx_ab_64', legacy: 'ab_64' });
    expect(accountNamesFor('PUL')).toEqual({ current: 'fx_pul', legacy: 'pul' });
  });
});

describe('firstUnencodedCharacter', () => {
  it('finds the first special character and its code', () => {
    expect(firstUnencodedCharacter('fx_a$b@')).toEqual({ char: '$', code: '_36' });
    expect(firstUnencodedCharacter('fx_pul')).toBeUndefined();
  });
});
