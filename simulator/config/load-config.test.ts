import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSyncError } from '../../oclc/error-catalogue.ts';
import { tempDir } from '../../test/support/temp-dir.ts';
import { DEMO_CONFIG_YAML } from './demo-config.ts';
import { defineConfig, loadConfigFile, parseConfigText } from './load-config.ts';

const MINIMAL = `
institutions:
  - symbol: "AB@"
    password: secret
    collections:
      - { id: "1234567", type: bib, default: true }
      - { id: "7654321", type: lhr }
`;

function problemsOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof DataSyncError) {
      expect(error.code).toBe('CONFIG_INVALID');
      return error.message;
    }
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('parseConfigText', () => {
  it('fills the documented defaults', () => {
    const config = parseConfigText(MINIMAL, 'test.yaml', { baseDir: '/srv' });
    expect(config).toMatchObject({
      dataDir: '/srv/.datasync-sim',
      sftp: { host: '127.0.0.1', port: 2222 },
      admin: { host: '127.0.0.1', port: 8080 },
      fileNames: 'strict',
      pickupDelayMs: 0,
      processing: { mode: 'immediate' },
    });
    const [inst] = config.institutions;
    expect(inst).toMatchObject({
      symbol: 'AB@',
      encodedSymbol: 'AB_64',
      accounts: { current: 'fx_ab_64', legacy: 'ab_64' },
      defaultCollection: { id: '1234567' },
    });
    expect(Object.isFrozen(config.institutions)).toBe(true);
  });

  it('reads durations and processing modes', () => {
    const config = parseConfigText(`pickupDelay: 90s\nprocessing: "delay 4h"\n${MINIMAL}`, 't.yaml');
    expect(config.pickupDelayMs).toBe(90_000);
    expect(config.processing).toEqual({ mode: 'delay', delayMs: 14_400_000 });
    expect(parseConfigText(`processing: manual\n${MINIMAL}`, 't.yaml').processing).toEqual({
      mode: 'manual',
    });
  });

  it('names an unknown key at its own path and line, with the nearest valid key', () => {
    const yaml = `sftp:
  prot: 2223
institutions:
  - symbol: PUL
    password: x
    collections:
      - { id: "1012676", type: bib, defualt: true }
`;
    const message = problemsOf(() => parseConfigText(yaml, 'typo.yaml'));
    expect(message).toContain('line 2: sftp.prot: unknown key; did you mean "port"?');
    expect(message).toContain(
      'line 7: institutions.0.collections.0.defualt: unknown key; did you mean "default"?',
    );
  });

  it('reports every problem at once, each with its line', () => {
    const yaml = `dataDir: .x
fileNames: loose
pickupDelay: soon
colour: blue
sftp: { port: 70000 }
institutions:
  - symbol: "AB@"
    collections:
      - { id: 1234567, type: bib }
      - { id: "12345", type: marc }
`;
    const message = problemsOf(() => parseConfigText(yaml, 'bad.yaml'));
    expect(message).toContain('Failed to load configuration "bad.yaml"');
    expect(message).toMatch(/line 2: fileNames: .*strict.*faithful/);
    expect(message).toMatch(/line 3: pickupDelay: "soon" is not a duration/);
    expect(message).toMatch(/line \d: colour: unknown key; the keys here are dataDir, sftp, /);
    expect(message).toMatch(/line 5: sftp\.port: /);
    expect(message).toMatch(
      /line 9: institutions\.0\.collections\.0\.id: collection IDs are 7-digit strings; quote them/,
    );
    expect(message).toMatch(
      /line 10: institutions\.0\.collections\.1\.id: collection IDs are exactly 7 digits/,
    );
    expect(message).toMatch(/line 10: institutions\.0\.collections\.1\.type: /);
    expect(message).toMatch(
      /institutions\.0: an institution needs a password, a passwordEnv or at least one public key/,
    );
  });

  it('reports YAML syntax errors with their line', () => {
    const message = problemsOf(() =>
      parseConfigText('institutions:\n  - symbol: [unclosed\n', 'broken.yaml'),
    );
    expect(message).toMatch(/line \d+: /);
  });

  it('checks cross-references: duplicate symbols and IDs, unknown uploadsFor', () => {
    const yaml = `institutions:
  - { symbol: PUL, password: a, uploadsFor: [XYZ], collections: [{ id: "1000001", type: bib }] }
  - { symbol: pul, password: b, collections: [{ id: "1000001", type: bib }] }
`;
    const message = problemsOf(() => parseConfigText(yaml, 'x.yaml'));
    expect(message).toContain('symbol pul is configured twice');
    expect(message).toContain('collection ID 1000001 is already used by PUL');
    expect(message).toContain('uploadsFor names XYZ, which is not a configured institution');
  });

  it('resolves passwordEnv from the environment it is given', () => {
    const yaml = `institutions:\n  - { symbol: PUL, passwordEnv: PUL_PW, collections: [{ id: "1000001", type: bib }] }\n`;
    expect(parseConfigText(yaml, 'e.yaml', { env: { PUL_PW: 's3cret' } }).institutions[0]?.password).toBe(
      's3cret',
    );
    expect(problemsOf(() => parseConfigText(yaml, 'e.yaml', { env: {} }))).toContain(
      'passwordEnv PUL_PW is not set',
    );
  });

  it('lets flags override the file', () => {
    const config = parseConfigText(MINIMAL, 'o.yaml', {
      overrides: { dataDir: '/tmp/d', sftpPort: 0, adminPort: 0 },
    });
    expect(config.dataDir).toBe('/tmp/d');
    expect(config.sftp.port).toBe(0);
    expect(config.admin.port).toBe(0);
  });

  it('accepts the embedded demo configuration', () => {
    const config = parseConfigText(DEMO_CONFIG_YAML, 'demo');
    expect(config.institutions.map((i) => i.symbol)).toEqual(['PUL', 'AB@', 'VND']);
    expect(config.institutions.some((i) => i.collections.some((c) => c.type === 'lhr'))).toBe(true);
  });
});

describe('loadConfigFile', () => {
  it('reads a file and explains an unreadable path', () => {
    using dir = tempDir();
    const file = join(dir.path, 'sim.yaml');
    writeFileSync(file, MINIMAL);
    expect(loadConfigFile(file).institutions).toHaveLength(1);
    expect(() => loadConfigFile(join(dir.path, 'missing.yaml'))).toThrow(
      /Failed to find the configuration file ".*missing\.yaml": no such file or folder/,
    );
    expect(() => loadConfigFile(dir.path)).toThrow(/Failed to read configuration ".*": EISDIR/);
  });
});

describe('defineConfig', () => {
  it('validates objects with the same rules', () => {
    expect(() => defineConfig({ institutions: [] })).toThrow(/configure at least one institution/);
  });
});

describe('collection settings (issue 24)', () => {
  const withCollection = (line: string) => `
institutions:
  - symbol: PUL
    password: secret
    collections:
      - ${line}
`;

  it('fills OCLC’s defaults: CRITICAL blocks, holdings set, no 852 translation', () => {
    const config = parseConfigText(withCollection('{ id: "1012676", type: bib }'), 'test.yaml', {});
    expect(config.institutions[0]?.collections[0]).toMatchObject({
      validation: { block: ['critical'] },
      holdings: 'set',
      lhr: { translation: [] },
    });
  });

  it('refuses a setting on a collection type it does not apply to, and a bad severity', () => {
    const yaml = `
institutions:
  - symbol: PUL
    password: secret
    collections:
      - { id: "1012676", type: bib, lhr: { translation: [] } }
      - { id: "1012677", type: lhr, holdings: none, validation: { block: [severe] } }
      - { id: "1012678", type: bib, validation: { block: [fatal] } }
      - { id: "1012679", type: lhr, lhr: { translation: [{ match: { b: MAIN }, set: {} }] } }
`;
    const message = problemsOf(() => parseConfigText(yaml, 'test.yaml', {}));
    expect(message).toContain('the 852 translation is an LHR collection setting');
    expect(message).toContain('holdings: set | none is a bib collection setting');
    expect(message).toContain('validation.block applies to bib records');
    expect(message).toMatch(/block.*critical.*severe.*minor/s);
    expect(message).toContain('set at least one subfield');
  });
});
