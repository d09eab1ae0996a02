import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '../simulator/index.ts';
import type { ConfigInput } from '../simulator/index.ts';
import { startSimulator } from '../simulator/index.ts';
import type { StartedSimulator } from '../simulator/index.ts';
import { AdminClient, type HealthInfo } from './admin-client.ts';
import type { Scenario } from './scenario-schema.ts';

/** Where a scenario runs: a fresh in-process simulator, or a running one behind its admin API. */
export interface ScenarioTarget extends AsyncDisposable {
  admin: AdminClient;
  health: HealthInfo;
  /** Stops and starts the simulator on the same data dir; only in-process targets can. */
  restart(): Promise<void>;
}

export async function inProcessTarget(given: Scenario['given'], workRoot?: string): Promise<ScenarioTarget> {
  const dataDir = mkdtempSync(join(workRoot ?? tmpdir(), 'datasync-scenario-'));
  const config = defineConfig({
    ...(given as unknown as ConfigInput),
    dataDir,
    sftp: { host: '127.0.0.1', port: 0 },
    admin: { host: '127.0.0.1', port: 0 },
  } as ConfigInput);
  let sim: StartedSimulator = await startSimulator(config);
  const target = {
    admin: new AdminClient(sim.adminUrl, { token: config.admin.token }),
    health: await new AdminClient(sim.adminUrl, { token: config.admin.token }).health(),
    async restart() {
      const sftpPort = sim.sftp.port;
      const adminPort = sim.admin.port;
      await sim.stop();
      // The same ports, so clients and the admin client keep working after the restart.
      sim = await startSimulator({
        ...config,
        sftp: { ...config.sftp, port: sftpPort },
        admin: { ...config.admin, port: adminPort },
      });
    },
    async [Symbol.asyncDispose]() {
      await sim.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return target;
}

/** A running simulator: its state is reset, and it must already be configured as the scenario needs. */
export async function remoteTarget(
  url: string,
  given: Scenario['given'],
  token?: string,
): Promise<ScenarioTarget> {
  const admin = new AdminClient(url, { token });
  const health = await admin.health();
  const symbols = new Set(health.institutions.map((i) => i.symbol));
  const missing = (given.institutions as { symbol?: string }[])
    .map((i) => i.symbol ?? '')
    .filter((s) => !symbols.has(s));
  const problems = [
    ...(missing.length > 0 ? [`institutions ${missing.join(', ')} are not configured there`] : []),
    ...(health.fileNames !== given.fileNames
      ? [`it runs fileNames: ${health.fileNames}, the scenario needs ${given.fileNames}`]
      : []),
    ...(health.processing.mode !== processingMode(given.processing)
      ? [`it runs processing: ${health.processing.mode}, the scenario needs ${given.processing}`]
      : []),
  ];
  if (problems.length > 0)
    throw new Error(`the target ${url} cannot run this scenario: ${problems.join('; ')}`);
  await admin.reset();
  return {
    admin,
    health,
    restart: () => Promise.reject(new Error('restart needs an in-process simulator; run without --target')),
    [Symbol.asyncDispose]: () => Promise.resolve(),
  };
}

/** The mode word of a processing setting: immediate, manual or delay. */
function processingMode(setting: string): string {
  return setting.trim().split(/[\s:]/)[0] ?? setting;
}
