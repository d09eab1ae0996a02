import { randomBytes } from 'node:crypto';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DataSyncError } from '../oclc/error-catalogue.ts';
// Types only at the top: the simulator (ssh2, express, SQLite) loads when the command runs, so
// `--help` stays fast; and from simulator/start.ts, which holds only what starting needs.
import type { ConfigOverrides, LogFormat, LogLevel, StartedSimulator } from '../simulator/start.ts';
import { printBanner, printStopping } from './serve-banner.ts';
import { keepYoungGenerationSmall } from './keep-young-generation-small.ts';

interface ServeOptions {
  config?: string;
  host?: string;
  dataDir?: string;
  sftpPort?: number;
  adminPort?: number;
  logFormat: LogFormat;
  logLevel: LogLevel;
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
        'one line per event on stdout: text for people, or JSON lines for machines (the banner too: nothing but JSON)',
      )
        .choices(['text', 'json'])
        .default('text'),
    )
    .addOption(
      new Option(
        '--log-level <level>',
        'which events are logged: error (failed files), warn (also refusals, drops, bans, faults), ' +
          'info (also logins, uploads, outcomes), debug (also every SFTP operation)',
      )
        .choices(['error', 'warn', 'info', 'debug'])
        .default('info'),
    )
    .addOption(
      new Option(
        '-q, --quiet',
        'log only errors: the same as --log-level error (the banner still prints)',
      ).implies({
        logLevel: 'error',
      }),
    )
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
      const slowCrypto = !(await import('../simulator/start.ts')).sshCryptoBindingLoaded();
      printBanner(sim, { demo, format: options.logFormat, generatedToken: generated, slowCrypto });
      await logEvents(sim, options.logFormat, options.logLevel);
      await signalled;
      printStopping(sim, options.logFormat);
      await sim.stop();
    });
}

/** One stdout line per event at or above the level, as it happens. */
export async function logEvents(
  sim: StartedSimulator,
  format: LogFormat,
  level: LogLevel,
): Promise<() => void> {
  const { eventLogLine, isLogged } = await import('../simulator/start.ts');
  return sim.events.onAny((event, payload) => {
    if (!isLogged(event, level)) return;
    process.stdout.write(`${eventLogLine(format, sim.clock.now(), event, payload)}\n`);
  });
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
