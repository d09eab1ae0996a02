import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { parsePort, portFromEnv } from './serve-command.ts';
import { keepYoungGenerationSmall } from './keep-young-generation-small.ts';
import { removeUnlessFinished, stopOnSignal } from './interrupts.ts';
import type { StartedSimulator } from '../simulator/index.ts';

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
      const say = (line: string): boolean => process.stdout.write(`${line}\n`);
      const dataDir = options.dataDir ?? temporaryDataDir();
      const config = parseConfigText(DEMO_CONFIG_YAML, 'embedded demo configuration', {
        overrides: {
          dataDir,
          sftpPort: options.sftpPort ?? portFromEnv(process.env, 'DATASYNC_SIM_SFTP_PORT'),
          adminPort: options.adminPort ?? portFromEnv(process.env, 'DATASYNC_SIM_ADMIN_PORT'),
        },
        env: process.env,
      });
      const sim = await startSimulator(config);
      say(`dashboard: ${sim.adminUrl}/`);
      const kept = options.dataDir ? '' : ' (removed when the demo ends; --data-dir keeps it)';
      say(
        `sftp: ${sim.sftp.host}:${sim.sftp.port} (fx_pul / pul-demo, fx_ab_64 / ab-demo), data in ${dataDir}${kept}`,
      );
      const workDir = join(dataDir, 'demo-library');
      if (await startClean(sim, workDir))
        say(
          `${dataDir} held an earlier demo: starting clean (its files, holdings, LHRs and reports are cleared)`,
        );
      if (options.open) openBrowser(`${sim.adminUrl}/`);
      let step = 0;
      const unwatch = stopOnSignal(() => `at step ${step} of the story; the simulator is stopped`);
      try {
        await runDemoStory(sim, { pace: options.pace, workDir, say, onStep: (n) => (step = n) });
      } finally {
        unwatch();
        if (options.exit) await sim.stop();
      }
      if (options.exit) return;
      say(`The simulator keeps running for questions at ${sim.adminUrl}/; press Ctrl+C to stop.`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await sim.stop();
    });
}

/** A fresh folder for one demo, removed however the demo ends. */
function temporaryDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'datasync-sim-demo-'));
  removeUnlessFinished(dir, { folder: true });
  return dir;
}

/**
 * A data dir that already holds a demo (files, holdings, the client's state) would make the story
 * tell other numbers, or wait for uploads the client thinks are done: clear it, say so.
 */
async function startClean(sim: StartedSimulator, workDir: string): Promise<boolean> {
  const used = sim.files.list().length > 0 || existsSync(workDir);
  if (!used) return false;
  await sim.reset();
  rmSync(workDir, { recursive: true, force: true });
  return true;
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
