// `npm run api:check` (part of `npm run lint`): compiles the package and compares each entry's
// public surface with its report in etc/; any difference fails, so a change to the API shows in
// review as a diff of these reports. `npm run api:update` rewrites them after a deliberate change
// (D131). api-extractor reads the compiled .d.ts files in dist/.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Extractor, ExtractorConfig, ExtractorLogLevel } from '@microsoft/api-extractor';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ENTRIES = [
  { report: 'datasync-sim', types: 'dist/index.d.ts' },
  { report: 'datasync-sim-testing', types: 'dist/testing/index.d.ts' },
  { report: 'datasync-sim-testcontainers', types: 'dist/docker/simulator-container.d.ts' },
];
const TEMP = join(tmpdir(), 'datasync-sim-api-report');
const update = process.argv.includes('--update');

execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });

let failed = 0;
for (const entry of ENTRIES) {
  const config = ExtractorConfig.prepare({
    configObject: {
      projectFolder: ROOT,
      mainEntryPointFilePath: `<projectFolder>/${entry.types}`,
      bundledPackages: [],
      compiler: { tsconfigFilePath: '<projectFolder>/tsconfig.build.json' },
      apiReport: {
        enabled: true,
        reportFileName: `${entry.report}.api.md`,
        reportFolder: '<projectFolder>/etc/',
        reportTempFolder: TEMP,
      },
      docModel: { enabled: true, apiJsonFilePath: join(TEMP, `${entry.report}.api.json`) },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        // Messages stay out of the reports: they carry .d.ts line numbers, which would make any
        // edit above a public declaration look like an API change. Undocumented exports are
        // checked below instead; unexported types a signature names are visible in the report.
        extractorMessageReporting: {
          default: { logLevel: ExtractorLogLevel.Warning, addToApiReportFile: false },
          'ae-missing-release-tag': { logLevel: ExtractorLogLevel.None },
          'ae-undocumented': { logLevel: ExtractorLogLevel.None },
          'ae-forgotten-export': { logLevel: ExtractorLogLevel.None },
        },
        tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.Warning } },
      },
    },
    configObjectFullPath: `${ROOT}/etc/api-report.ts`,
    packageJsonFullPath: `${ROOT}/package.json`,
  });
  const result = Extractor.invoke(config, { localBuild: update, showVerboseMessages: false });
  if (!result.succeeded) {
    failed++;
    console.error(
      `${entry.report}: the public API differs from etc/${entry.report}.api.md ` +
        `(${result.errorCount} errors, ${result.warningCount} warnings). ` +
        'If the change is deliberate, run `npm run api:update` and commit the report.',
    );
  }
  const undocumented = undocumentedExports(join(TEMP, `${entry.report}.api.json`));
  if (undocumented.length) {
    failed++;
    console.error(`${entry.report}: exports without TSDoc: ${undocumented.join(', ')}`);
  }
}
process.exitCode = failed ? 1 : 0;

/** The entry's top-level exports whose declaration has no doc comment. */
function undocumentedExports(docModelPath: string): string[] {
  interface Item {
    kind: string;
    name?: string;
    docComment?: string;
    members?: Item[];
  }
  const model = JSON.parse(readFileSync(docModelPath, 'utf8')) as Item;
  const entryPoint = model.members?.find((m) => m.kind === 'EntryPoint');
  return (entryPoint?.members ?? []).filter((m) => !m.docComment?.trim()).map((m) => m.name ?? '?');
}
