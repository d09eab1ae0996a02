import { defineConfig } from 'vitest/config';

// Tests run as projects, named by what they need, so a contributor runs one tier by name
// (`npm run test:unit`) and `npm test` runs them all. A file's folder says its project:
// no list is kept by hand.
const UNIT = ['{oclc,client,simulator,cli,scenarios,docker,testing}/**/*.test.ts', 'test/lint/**/*.test.ts'];

export default defineConfig({
  test: {
    exclude: ['node_modules/**', '.datasync-sim/**'],
    // Every test owns its simulator on port 0 and a temp data dir, so files run in parallel.
    pool: 'forks',
    reporters: ['default', './test/support/summary-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      // Pure code beside its source, plus the layer rules: no server, no child process, seconds.
      { extends: true, test: { name: 'unit', include: UNIT } },
      // A real simulator on loopback, the compiled CLI, the packed package, the docs walked.
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/{integration,docs,consumer}/**/*.test.ts'],
        },
      },
      // Other SFTP and SSH implementations (OpenSSH, lftp, curl, paramiko, rclone) against ours.
      { extends: true, test: { name: 'interop', include: ['test/interop/**/*.test.ts'] } },
      // The dashboard in Debian's Chromium.
      { extends: true, test: { name: 'browser', include: ['test/browser/**/*.test.ts'] } },
      // The Docker image through SimulatorContainer.
      { extends: true, test: { name: 'container', include: ['test/container/**/*.test.ts'] } },
    ],
  },
});
