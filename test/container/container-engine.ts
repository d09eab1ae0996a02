import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';

const PREPARE_PODMAN = fileURLToPath(new URL('./prepare-podman.sh', import.meta.url));

export interface ContainerEngine {
  /** `docker` or `podman`: the CLI that builds and removes the image. */
  cli: 'docker' | 'podman';
  /** Extra `build` arguments (podman's base image made offline, its CA bundle). */
  buildArgs: string[];
  /** Undoes what `engine()` started; never stops an engine it found running. */
  release(): void;
}

/** Whether a Docker-compatible API answers at `DOCKER_HOST` or the default socket. */
function pings(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

/**
 * The engine the container tier uses: an existing Docker-compatible engine when one answers
 * (nothing is installed or started then), otherwise podman set up by prepare-podman.sh. The
 * environment testcontainers reads is set here, as its users set it.
 */
export async function containerEngine(): Promise<ContainerEngine> {
  const host = process.env['DOCKER_HOST'];
  const socket = host?.startsWith('unix://')
    ? host.slice('unix://'.length)
    : host
      ? undefined
      : '/var/run/docker.sock';
  if (host && !socket) return { cli: 'docker', buildArgs: [], release: () => undefined };
  if (socket && existsSync(socket) && (await pings(socket))) {
    return { cli: 'docker', buildArgs: [], release: () => undefined };
  }
  const out = execFileSync('bash', [PREPARE_PODMAN], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const env: Record<string, string> = {};
  for (const line of out.trim().split('\n')) {
    const [key = '', ...value] = line.split('=');
    if (key) env[key] = value.join('=');
  }
  Object.assign(process.env, env);
  return {
    cli: 'podman',
    buildArgs: [
      '--format',
      'docker',
      '--build-arg',
      `BASE_IMAGE=${env['DATASYNC_BASE_IMAGE'] ?? ''}`,
      '--build-arg',
      'NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt',
      '-v',
      '/etc/ssl/certs/ca-certificates.crt:/etc/ssl/certs/ca-certificates.crt:ro',
    ],
    release: () => {
      if (env['DATASYNC_PODMAN_STARTED'] === '1') execFileSync('bash', [PREPARE_PODMAN, 'stop']);
    },
  };
}
