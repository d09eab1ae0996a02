import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { parsePort, portFromEnv } from './serve-command.ts';
import { keepYoungGenerationSmall } from './keep-young-generation-small.ts';

interface DemoOptions {
  pace: 'fast' | 'normal' | 'slow';
  open: boolean;
  exit?: boolean;
  sftpPort?: number;
  adminPort?: number;
  dataDir?: string;
}

export function demoCommand(): Command {
  return new Command('demo')
    .summary('run the Data Sync cycle as a narrated story, for trainers')
    .description(
      'Start the simulator with the demo configuration, print the dashboard address (and open it), ' +
        'then run the Data Sync cycle step by step with why each step matters: a refused name and ' +
        'its fix, a bib publish, the reports, write-back, and the LHR replace-all pitfall.',
    )
    .addOption(
      new Option('--pace <pace>', 'pauses between steps')
        .choices(['fast', 'normal', 'slow'])
        .default('normal'),
    )
    .option('--no-open', 'do not open a browser on the dashboard')
    .option('--exit', 'stop after the story (exit 0) instead of keeping the simulator running')
    .option('--sftp-port <n>', 'SFTP port; 0 picks a free one (default 2222)', parsePort)
    .option('--admin-port <n>', 'admin and dashboard port; 0 picks a free one (default 8080)', parsePort)
    .option('--data-dir <dir>', 'where the simulator keeps its state (default: a fresh temporary folder)')
    .addHelpText('after', '\nExample:\n  $ datasync-sim demo --pace fast --exit --no-open\n')
    .action(async (options: DemoOptions) => {
      const { DEMO_CONFIG_YAML, parseConfigText, startSimulator } = await import('../simulator/index.ts');
      keepYoungGenerationSmall();
      const { runDemoStory } = await import('./demo-story.ts');
      const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'datasync-sim-demo-'));
      const config = parseConfigText(DEMO_CONFIG_YAML, 'embedded demo configuration', {
        overrides: {
          dataDir,
          sftpPort: options.sftpPort ?? portFromEnv(process.env, 'DATASYNC_SIM_SFTP_PORT'),
          adminPort: options.adminPort ?? portFromEnv(process.env, 'DATASYNC_SIM_ADMIN_PORT'),
        },
        env: process.env,
      });
      const sim = await startSimulator(config);
      const say = (line: string): boolean => process.stdout.write(`${line}\n`);
      say(`dashboard: ${sim.adminUrl}/`);
      say(
        `sftp: ${sim.sftp.host}:${sim.sftp.port} (fx_pul / pul-demo, fx_ab_64 / ab-demo), data in ${dataDir}`,
      );
      if (options.open) openBrowser(`${sim.adminUrl}/`);
      try {
        await runDemoStory(sim, { pace: options.pace, workDir: join(dataDir, 'demo-library'), say });
      } catch (error) {
        await sim.stop();
        throw error;
      }
      if (options.exit) {
        await sim.stop();
        return;
      }
      say(`The simulator keeps running for questions at ${sim.adminUrl}/; press Ctrl+C to stop.`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await sim.stop();
    });
}

/** Opens the dashboard where there is a display; a failure to open is not the story's failure. */
function openBrowser(url: string): void {
  const linux = process.platform === 'linux';
  if (linux && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY']) return;
  const command =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(command, [url], { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No opener: the address is printed above.
  }
}
