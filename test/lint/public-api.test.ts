import { describe, expect, it } from 'vitest';
import * as entry from '../../index.ts';
import * as testing from '../../testing/index.ts';

// The runtime values each entry offers (D130). Adding one is a decision: add it here, give it
// TSDoc, and let `npm run api:check` show the new surface. Types are not counted: they cost
// nothing at run time and change with the values they describe.
const ENTRY = [
  'AdminClient',
  'AdminEventStream',
  'DEMO_CONFIG_YAML',
  'DataSyncError',
  'ERROR_CATALOGUE',
  'EXIT_CODES',
  'ManualClock',
  'MetadataApiClient',
  'UPLOAD_STATES',
  'accountNamesFor',
  'adminRoutes',
  'checkFile',
  'checkUploadName',
  'configFromEnv',
  'defineConfig',
  'describeNameCheck',
  'encodeSymbol',
  'fetchReports',
  'isTemporaryUploadName',
  'loadConfigFile',
  'loadProfile',
  'parseConfigText',
  'parseProfile',
  'parseReport',
  'parseReportName',
  'publish',
  'startSimulator',
  'systemClock',
  'writeback',
];

describe('the public API', () => {
  it('datasync-sim offers the decided runtime values, at most 40 (issue 23)', () => {
    const names = Object.keys(entry).sort();
    expect(names).toEqual([...ENTRY].sort());
    expect(names.length).toBeLessThanOrEqual(40);
  });

  it('offers no internal store as a value: Journal and WorldCatState stay inside', () => {
    expect(Object.keys(entry)).not.toContain('Journal');
    expect(Object.keys(entry)).not.toContain('WorldCatState');
    expect(Object.keys(entry).filter((name) => name.endsWith('Schema'))).toEqual([]);
  });

  it('datasync-sim/testing offers what a test author needs', () => {
    expect(Object.keys(testing).sort()).toEqual([
      'ManualClock',
      'TEST_INSTITUTIONS',
      'startTestSimulator',
      'uploadFile',
      'waitForOutcome',
    ]);
  });
});
