import { randomBytes } from 'node:crypto';
import { Command, InvalidArgumentError, Option } from 'commander';
import { formatDuration } from '../oclc/duration.ts';
import { DataSyncError } from '../oclc/error-catalogue.ts';
// Types only at the top: the simulator (ssh2, express, SQLite) loads when the command runs, so
// `--help` stays fast; and from simulator/start.ts, which holds only what starting needs.
import type { ConfigOverrides, LogFormat, StartedSimulator } from '../simulator/start.ts';
import { keepYoungGenerationSmall } from './keep-young-generation-small.ts';

interface ServeOptions {
  config?: string;
  host?: string;
  dataDir?: string;
  sftpPort?: number;
  adminPort?: number;
  logFormat: LogFormat;
  quiet?: boolean;
}

export function serveCommand(): Command {
  return new Command('serve')
    .summary('run the mock OCLC SFTP server and its admin API')
    .description(
      'Run the mock OCLC file exchange: an SFTP server with OCLC accounts, the /xfer/metacoll folders ' +
        'and file-name rules, plus the admin API. Without --config it reads DATASYNC_SIM_CONFIG (a file), ' +
        'else one institution from DATASYNC_SIM_SYMBOL / DATASYNC_SIM_PASSWORD, else the embedded demo ' +
        'configuration (three institutions, one with "@" in its symbol). DATASYNC_SIM_SFTP_PORT and ' +
        'DATASYNC_SIM_ADMIN_PORT set the ports where flags cannot be passed (npm start).',
    )
    .option('-c, --config <file>', 'YAML configuration file (see docs/configuration.md)')
    .option('--data-dir <dir>', 'where account folders and SQLite state live (overrides dataDir)')
    .option(
      '--host <address>',
      'address both listeners bind to, e.g. 0.0.0.0 (overrides sftp.host and admin.host)',
    )
    .option('--sftp-port <n>', 'SFTP port; 0 picks a free one (overrides sftp.port)', parsePort)
    .option('--admin-port <n>', 'admin API port; 0 picks a free one (overrides admin.port)', parsePort)
    .addOption(
      new Option(
        '--log-format <format>',
        'one line per event on stdout: text for people, json lines for machines',
      )
        .choices(['text', 'json'])
        .default('text'),
    )
    .option('-q, --quiet', 'no line per event (the start-up banner still prints)')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ datasync-sim serve                                  # demo config, ports 2222 and 8080\n' +
        '  $ datasync-sim serve --config sim.yaml --sftp-port 0  # any free SFTP port\n' +
        '  $ sftp -P 2222 fx_pul@127.0.0.1                        # then log in (demo password pul-demo)\n',
    )
    .action(async (options: ServeOptions) => {
      const {
        configFromEnv,
        defineConfig,
        DEMO_CONFIG_YAML,
        loadConfigFile,
        parseConfigText,
        startSimulator,
      } = await import('../simulator/start.ts');
      keepYoungGenerationSmall();
      const env = process.env;
      const overrides: ConfigOverrides = {
        dataDir: options.dataDir ?? env['DATASYNC_SIM_DATA_DIR'],
        host: options.host ?? env['DATASYNC_SIM_LISTEN'],
        sftpPort: options.sftpPort ?? portFromEnv(env, 'DATASYNC_SIM_SFTP_PORT'),
        adminPort: options.adminPort ?? portFromEnv(env, 'DATASYNC_SIM_ADMIN_PORT'),
        adminToken: env['DATASYNC_ADMIN_TOKEN'] || undefined,
      };
      let generated: string | undefined;
      const generateAdminToken =
        env['DATASYNC_SIM_GENERATE_ADMIN_TOKEN'] === '1'
          ? () => (generated = randomBytes(24).toString('base64url'))
          : undefined;
      const file = options.config ?? env['DATASYNC_SIM_CONFIG'];
      const fromEnv = file === undefined ? configFromEnv(env) : undefined;
      const demo = file === undefined && fromEnv === undefined;
      const load = { overrides, env, generateAdminToken };
      const config = file
        ? loadConfigFile(file, load)
        : fromEnv
          ? defineConfig(fromEnv, load)
          : parseConfigText(DEMO_CONFIG_YAML, 'embedded demo configuration', load);
      const sim = await startSimulator(config);
      // Listen for signals before saying we are ready: a supervisor that reads the banner and
      // sends SIGINT at once must get a clean shutdown, not the default kill.
      const signalled = untilSignal();
      if (generated)
        process.stdout.write(
          `admin token ${generated} (generated; set DATASYNC_ADMIN_TOKEN to choose one)\n`,
        );
      await printBanner(sim, demo);
      if (!options.quiet) await logEvents(sim, options.logFormat);
      await signalled;
      process.stdout.write('shutting down\n');
      await sim.stop();
    });
}

async function printBanner(sim: StartedSimulator, demo: boolean): Promise<void> {
  const { sshCryptoBindingLoaded } = await import('../simulator/start.ts');
  const out = (line: string): boolean => process.stdout.write(`${line}\n`);
  out(`sftp listening on ${sim.sftp.host}:${sim.sftp.port}`);
  out(`admin listening on ${sim.adminUrl}`);
  out(`dashboard ${sim.adminUrl}/`);
  out(`host key ${sim.sftp.hostKeyFingerprint}`);
  out(`data dir ${sim.config.dataDir}`);
  if (!sshCryptoBindingLoaded())
    process.stderr.write(
      "warning: ssh2's native crypto binding is not built, so uploads run at about half speed; " +
        'run `npm rebuild ssh2` (it needs a C++ compiler)\n',
    );
  out(
    `file names ${sim.config.fileNames}, pickup delay ${formatDuration(sim.config.pickupDelayMs)}, processing ${describeProcessing(sim)}`,
  );
  if (demo) out('using the embedded demo configuration; accounts (user / password):');
  else out('accounts:');
  for (const inst of sim.config.institutions) {
    const secret = demo && inst.password ? ` / ${inst.password}` : '';
    out(`  ${inst.symbol.padEnd(6)} ${inst.accounts.current} (or ${inst.accounts.legacy})${secret}`);
    out(`         collections ${inst.collections.map((c) => `${c.id} ${c.type}`).join(', ')}`);
  }
  out(
    `try: sftp -P ${sim.sftp.port} ${sim.config.institutions[0]?.accounts.current ?? 'fx_sym'}@${sim.sftp.host}`,
  );
  out('press Ctrl+C to stop');
}

/** One stdout line per event, as it happens; progress ticks are left to the event stream. */
export async function logEvents(sim: StartedSimulator, format: LogFormat): Promise<() => void> {
  const { eventLogLine } = await import('../simulator/start.ts');
  return sim.events.onAny((event, payload) => {
    if (event === 'processing:progress') return;
    process.stdout.write(`${eventLogLine(format, sim.clock.now(), event, payload)}\n`);
  });
}

function describeProcessing(sim: StartedSimulator): string {
  const p = sim.config.processing;
  return p.mode === 'delay' ? `delay ${formatDuration(p.delayMs)}` : p.mode;
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

/** DATASYNC_SIM_SFTP_PORT / DATASYNC_SIM_ADMIN_PORT: a port for when flags cannot be passed. */
export function portFromEnv(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (Number.isInteger(port) && port >= 0 && port <= 65535) return port;
  throw new DataSyncError('CONFIG_INVALID', {
    source: 'environment',
    problems: `${name}=${value}: a port is a whole number from 0 to 65535 (0 picks a free port)`,
  });
}

export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError('a port is a whole number from 0 to 65535 (0 picks a free port)');
  }
  return port;
}
