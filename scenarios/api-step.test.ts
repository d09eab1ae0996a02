import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test/support/temp-dir.ts';
import { loadScenario } from './load-scenario.ts';
import { runScenarios } from './run-scenarios.ts';
import { contains } from './api-step.ts';

const scenario = (expectBody: string) => `
name: api expectation
given:
  institutions:
    - symbol: PUL
      password: pul-secret
      collections: [{ id: '1012676', type: bib, default: true }]
      wskeys: [{ key: pul-wskey, secret: pul-wskey-secret }]
steps:
  - api: { method: POST, path: /worldcat/manage/institution/holdings/5/set }
expect:
  api:
    - path: /worldcat/manage/institution/holdings/current?oclcNumbers=5
      expect: { body: { holdings: [{ holdingSet: ${expectBody} }] } }
`;

describe('api steps and expectations', () => {
  it('pass when the answer has the fields, and fail naming the call, the wanted and the actual answer', async () => {
    using dir = tempDir();
    writeFileSync(join(dir.path, 'pass.yaml'), scenario('true'));
    writeFileSync(join(dir.path, 'fail.yaml'), scenario('false'));
    const passing = loadScenario(join(dir.path, 'pass.yaml'));
    const failing = loadScenario(join(dir.path, 'fail.yaml'));
    if (!passing.ok || !failing.ok) throw new Error('the scenarios should parse');
    const [pass, fail] = await runScenarios([passing.loaded, failing.loaded]);
    expect(pass?.passed).toBe(true);
    expect(fail).toMatchObject({ passed: false });
    expect(JSON.stringify(fail)).toContain('answer of api GET /worldcat/manage/institution/holdings/current');
  });

  it('contains: objects by key, arrays element by element and of the same length', () => {
    expect(contains({ a: 1, b: [{ c: 2, d: 3 }] }, { b: [{ c: 2 }] })).toBe(true);
    expect(contains({ b: [{ c: 2 }, { c: 3 }] }, { b: [{ c: 2 }] })).toBe(false);
    expect(contains({ a: '1' }, { a: 1 })).toBe(false);
  });
});
