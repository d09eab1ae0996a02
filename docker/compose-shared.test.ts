import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfigFile } from '../simulator/config/load-config.ts';

// No container engine runs here: the stack is checked as files, against each other.
const file = (name: string): string => fileURLToPath(new URL(name, import.meta.url));

interface Service {
  image?: string;
  build?: unknown;
  hostname?: string;
  command?: string[];
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
}

const compose = parse(readFileSync(file('compose.shared.yaml'), 'utf8')) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const haproxy = readFileSync(file('haproxy.cfg'), 'utf8');
const replicas = ['sim-a', 'sim-b'];

describe('docker/compose.shared.yaml: a shared instance', () => {
  it('runs PostgreSQL, two simulator replicas and HAProxy, and only HAProxy is published', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['haproxy', 'postgres', 'sim-a', 'sim-b']);
    const published = Object.entries(compose.services).filter(([, s]) => s.ports !== undefined);
    expect(published.map(([name]) => name)).toEqual(['haproxy']);
  });

  it('gives both replicas the same config, data volume and --data-dir, and each its own name', () => {
    const [a, b] = replicas.map((name) => compose.services[name] as Service);
    expect(a?.volumes).toEqual(b?.volumes);
    expect(a?.command).toEqual(b?.command);
    expect(a?.command).toEqual(['serve', '--config', '/etc/datasync-sim/config.yaml', '--data-dir', '/data']);
    expect(a?.volumes).toContain('datasync-data:/data');
    expect(new Set([a?.hostname, b?.hostname]).size).toBe(2);
    expect(Object.keys(compose.volumes)).toContain('datasync-data');
  });

  it("the replicas' configuration is valid and points at the compose PostgreSQL", () => {
    // DATASYNC_ADMIN_TOKEN reaches the configuration as serve's override, as in the containers.
    const config = loadConfigFile(file('shared-config.yaml'), {
      overrides: { adminToken: 'a-token-of-sixteen-chars' },
    });
    const db = compose.services['postgres']?.environment ?? {};
    const url = new URL(config.store?.url ?? '');
    expect([url.hostname, url.username, url.password, url.pathname]).toEqual([
      'postgres',
      db['POSTGRES_USER'],
      db['POSTGRES_PASSWORD'],
      `/${db['POSTGRES_DB']}`,
    ]);
    // HAProxy forwards to each replica's listeners as the configuration sets them.
    for (const name of replicas) {
      expect(haproxy).toContain(`server ${name} ${name}:${config.sftp.port} check`);
      expect(haproxy).toContain(`server ${name} ${name}:${config.admin.port} check`);
    }
    const published = compose.services['haproxy']?.ports ?? [];
    expect(published).toEqual([`127.0.0.1:${config.sftp.port}:2222`, `127.0.0.1:${config.admin.port}:8080`]);
    expect(haproxy).toMatch(/bind :2222[\s\S]*bind :8080/);
  });
});
