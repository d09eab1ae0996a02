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
  secrets?: string[];
}

const compose = parse(readFileSync(file('compose.shared.yaml'), 'utf8')) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
  secrets: Record<string, { environment?: string }>;
};
const haproxy = readFileSync(file('haproxy.cfg'), 'utf8');
const replicas = ['sim-a', 'sim-b'];

describe('docker/compose.shared.yaml: a shared instance', () => {
  it('runs PostgreSQL, two replicas, HAProxy, Prometheus and Grafana; only the last three are published, on loopback', () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      'grafana',
      'haproxy',
      'postgres',
      'prometheus',
      'sim-a',
      'sim-b',
    ]);
    const published = Object.entries(compose.services).filter(([, s]) => s.ports !== undefined);
    expect(published.map(([name]) => name).sort()).toEqual(['grafana', 'haproxy', 'prometheus']);
    for (const [, service] of published)
      for (const port of service.ports ?? []) expect(port).toMatch(/^127\.0\.0\.1:/);
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
      // The replicas see each SFTP client's own address through the PROXY protocol.
      expect(haproxy).toContain(
        `server ${name} ${name}:${config.sftp.port} check send-proxy-v2 check-send-proxy`,
      );
    }
    expect(config.sftp.proxyProtocol).toBe(true);
    const published = compose.services['haproxy']?.ports ?? [];
    expect(published).toEqual([`127.0.0.1:${config.sftp.port}:2222`, `127.0.0.1:${config.admin.port}:8080`]);
    expect(haproxy).toMatch(/bind :2222[\s\S]*bind :8080/);
  });
});

describe('docker/compose.shared.yaml: Prometheus and Grafana', () => {
  const prometheus = parse(readFileSync(file('prometheus.yml'), 'utf8')) as {
    scrape_configs: {
      metrics_path: string;
      authorization: { type: string; credentials_file: string };
      static_configs: { targets: string[] }[];
    }[];
  };
  const config = loadConfigFile(file('shared-config.yaml'), {
    overrides: { adminToken: 'a-token-of-sixteen-chars' },
  });

  it("scrapes /metrics on each replica's admin port with the replicas' admin token", () => {
    const [job] = prometheus.scrape_configs;
    expect(job?.metrics_path).toBe('/metrics');
    expect(job?.static_configs.flatMap((c) => c.targets).sort()).toEqual(
      replicas.map((name) => `${name}:${config.admin.port}`),
    );
    // The token reaches Prometheus as a compose secret made from the variable the replicas read.
    expect(job?.authorization.type).toBe('Bearer');
    const secret = job?.authorization.credentials_file.replace('/run/secrets/', '') ?? '';
    expect(compose.services['prometheus']?.secrets).toEqual([secret]);
    expect(compose.secrets[secret]?.environment).toBe('DATASYNC_ADMIN_TOKEN');
    for (const name of replicas)
      expect(compose.services[name]?.environment?.['DATASYNC_ADMIN_TOKEN']).toMatch(
        /^\$\{DATASYNC_ADMIN_TOKEN\b/,
      );
    // A scrape sends Host: sim-a:8080; the admin API answers only names it knows (security.md).
    for (const name of replicas) expect(config.admin.hostNames).toContain(name);
  });

  it("provisions Grafana with the stack's Prometheus and a dashboard whose queries name real series", () => {
    const grafana = compose.services['grafana'];
    const mounts = (grafana?.volumes ?? []).map((v) => v.split(':')[0]);
    expect(mounts).toEqual([
      './grafana/datasource.yaml',
      './grafana/dashboards.yaml',
      './grafana/dashboard.json',
    ]);
    const datasource = parse(readFileSync(file('grafana/datasource.yaml'), 'utf8')) as {
      datasources: { uid: string; url: string }[];
    };
    expect(datasource.datasources[0]?.url).toBe('http://prometheus:9090');
    const dashboard = JSON.parse(readFileSync(file('grafana/dashboard.json'), 'utf8')) as {
      panels: { datasource: { uid: string }; targets: { expr: string }[] }[];
    };
    const source = readFileSync(file('../simulator/metrics/prometheus-metrics.ts'), 'utf8');
    const series = new Set([...source.matchAll(/name: '(datasync_[a-z_]+)'/g)].map((m) => m[1]));
    expect(series.size).toBeGreaterThan(10);
    const used = new Set<string>();
    for (const panel of dashboard.panels) {
      expect(panel.datasource.uid).toBe(datasource.datasources[0]?.uid);
      for (const target of panel.targets)
        for (const [name] of target.expr.matchAll(/datasync_[a-z_]+/g))
          used.add(name.replace(/_(bucket|sum|count)$/, ''));
    }
    // Every series the simulator exports is on the dashboard, and the dashboard asks for no other.
    expect([...used].sort()).toEqual([...series].sort());
  });
});
