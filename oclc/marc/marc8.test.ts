import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { requireTools } from '../../test/support/require-tool.ts';
import { decodeMarc8, encodeMarc8 } from './marc8.ts';

const LATIN = [
  'Café crème',
  'Łódź',
  'Ørsted Æble Œuvres',
  'Straße',
  'naïve façade',
  'Hồ Chí Minh',
  'Dvořák Şişli',
  'ơư Ơ',
  '© 2020 ℗ ° ± £ ¿¡',
  'Þór ð ı',
  '€5',
];

/**
 * yaz's own conversion. yaz maps accented letters only from decomposed input and ANSEL's own
 * precomposed letters (ơ, ư) only from composed input, so both forms are asked.
 */
function yazMarc8(text: string): string[] {
  return (['NFD', 'NFC'] as const).map((form) =>
    spawnSync('yaz-iconv', ['-f', 'utf8', '-t', 'marc8'], { input: text.normalize(form) }).stdout.toString(
      'hex',
    ),
  );
}

describe('MARC-8', () => {
  it.each(LATIN)('writes %s byte for byte as yaz-iconv does, and reads it back', (text) => {
    requireTools('yaz-marcdump');
    const bytes = encodeMarc8(text);
    expect(yazMarc8(text)).toContain(bytes.toString('hex'));
    expect(decodeMarc8(bytes)).toBe(text.normalize('NFC'));
  });

  it('writes characters outside ASCII and ANSEL as lossless references, marks and all', () => {
    expect(encodeMarc8('ά日').toString('latin1')).toBe('&#x3AC;&#x65E5;');
    expect(decodeMarc8(encodeMarc8('Ελληνικά 日本'))).toBe('Ελληνικά 日本');
  });

  it('reads escapes back to ASCII and marks other sets as unreadable instead of guessing', () => {
    expect(decodeMarc8(Buffer.from('a\x1b(Sab\x1b(Bc', 'latin1'))).toBe('a\ufffd\ufffdc');
  });
});
