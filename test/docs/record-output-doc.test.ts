import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../simulator/config/load-config.ts';

const DOC = readFileSync(new URL('../../docs/record-output.md', import.meta.url), 'utf8');

describe('docs/record-output.md', () => {
  it('its configuration example is a valid configuration with output on, as it says', () => {
    const yaml = /```yaml\n([\s\S]*?)```/.exec(DOC)?.[1] ?? '';
    const config = parseConfigText(yaml, 'docs/record-output.md');
    expect(config.institutions[0]?.collections[0]?.output).toEqual({
      enabled: true,
      format: 'marc21',
      encoding: 'utf8',
      frequency: 'daily',
      include: ['new', 'updates', 'deletes', 'merges'],
      lsnField: '907$a',
    });
  });
});
