// Runs the product as users run it: `node bin/datasync-sim.js serve` in its own process, with a
// throwaway config and data dir; reads the ports from its banner and its peak RSS from /proc.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const ROOT = new URL('../..', import.meta.url).pathname;
export const BIN = join(ROOT, 'bin', 'datasync-sim.js');

export interface ServeProcess {
  pid: number;
  sftpPort: number;
  adminUrl: string;
  hostKeyFingerprint: string;
  /** performance.now() when serve printed "admin listening". */
  adminListeningAt: number;
  /** Peak resident memory of the whole process (all threads, the worker too), in MB. */
  peakRssMb(): number;
  stop(): Promise<void>;
}

/** Builds the product once if the package has a build step, so benchmarks run what users run. */
export function buildOnce(): void {
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: object })
    .scripts;
  if (!('build' in scripts)) return;
  const result = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('npm run build failed');
}

/** A config with one institution (PUL, password `bench`), processing only when told. */
export function writeBenchConfig(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'bench.yaml');
  writeFileSync(
    path,
    `dataDir: ${join(dir, 'data')}
sftp: { host: 127.0.0.1, port: 0 }
admin: { host: 127.0.0.1, port: 0 }
pickupDelay: 0s
processing: manual
institutions:
  - symbol: PUL
    password: bench
    collections:
      - { id: "1012676", type: bib, default: true }
      - { id: "1012677", type: lhr }
`,
  );
  return path;
}

export async function startServe(configPath: string): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--config', configPath], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const banner = await readBanner(child);
  const pid = child.pid ?? 0;
  return {
    pid,
    ...banner,
    peakRssMb: () => peakRssMb(pid),
    async stop() {
      const exited = once(child, 'exit');
      child.kill('SIGINT');
      await exited;
    },
  };
}

async function readBanner(
  child: ChildProcess,
): Promise<Pick<ServeProcess, 'sftpPort' | 'adminUrl' | 'hostKeyFingerprint' | 'adminListeningAt'>> {
  let sftpPort = 0;
  let adminUrl = '';
  let adminListeningAt = 0;
  if (!child.stdout) throw new Error('serve has no stdout');
  for await (const line of createInterface({ input: child.stdout })) {
    const sftp = /^sftp listening on .*:(\d+)$/.exec(line);
    if (sftp) sftpPort = Number(sftp[1]);
    const admin = /^admin listening on (\S+)$/.exec(line);
    if (admin?.[1]) {
      adminUrl = admin[1];
      adminListeningAt = performance.now();
    }
    const key = /^host key (\S+)$/.exec(line);
    if (key?.[1]) {
      child.stdout.resume();
      return { sftpPort, adminUrl, hostKeyFingerprint: key[1], adminListeningAt };
    }
  }
  throw new Error('serve exited before its banner');
}

/** VmHWM: the process's peak resident set, every thread included. */
export function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** Processes every queued file (POST /api/processing/run); resolves once they are processed. */
export async function runProcessing(adminUrl: string): Promise<{ records: number; state: string }[]> {
  const res = await fetch(`${adminUrl}/api/processing/run`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  if (!res.ok) throw new Error(`processing run failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { processed: { state: string; summary: { records: number } | null }[] };
  return body.processed.map((f) => ({ state: f.state, records: f.summary?.records ?? 0 }));
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
