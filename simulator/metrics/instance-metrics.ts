import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { SimulatorEventName, SimulatorEvents } from '../events/simulator-events.ts';
import type { NamespaceGauges, PrometheusMetrics } from './prometheus-metrics.ts';

/** The namespace of a simulator that has none: its plain account names and `/api/` routes. */
export const DEFAULT_NAMESPACE = 'default';

type Pending = (metrics: PrometheusMetrics) => void;

/** The events the metrics count; the rest (SFTP operations, progress) are never kept. */
const COUNTED = new Set<SimulatorEventName>([
  'auth:accepted',
  'auth:refused',
  'sftp:limited',
  'upload:received',
  'file:processing',
  'file:processed',
  'file:failed',
  'file:superseded',
  'file:halted',
  'fault:applied',
]);

/** Kept changes past which prom-client is loaded even if nobody has scraped yet. */
const MAX_PENDING = 10_000;

/**
 * The metrics of one simulator process, served at GET /metrics. prom-client costs about a tenth of
 * a second to load, which `serve` and every test simulator would pay, so it is loaded at the first
 * scrape (or once many changes wait): until then the counted events are kept, with the time they
 * happened, and applied in order when it has loaded.
 */
export class InstanceMetrics {
  readonly #loop = monitorEventLoopDelay({ resolution: 20 });
  #metrics: PrometheusMetrics | undefined;
  #pending: Pending[] = [];
  #loaded: Promise<PrometheusMetrics> | undefined;

  constructor() {
    this.#loop.enable();
  }

  /** Counts a namespace's events and reports its gauges; returns what stops it. */
  watch(namespace: string, events: SimulatorEvents, gauges: NamespaceGauges): () => Promise<void> {
    this.#apply((m) => m.addNamespace(namespace, gauges));
    const detach = events.onAny((event: SimulatorEventName, payload: unknown) => {
      if (!COUNTED.has(event)) return;
      const at = performance.now();
      this.#apply((m) => m.record(namespace, event, payload, at));
    });
    return async () => {
      detach();
      if (this.#metrics) await this.#metrics.removeNamespace(namespace);
      else
        this.#pending.push((m) => {
          m.removeNamespace(namespace).catch(() => undefined);
        });
    };
  }

  apiRequest(namespace: string, method: string, status: number): void {
    this.#apply((m) => m.apiRequest(namespace, method, status));
  }

  /** The Prometheus text exposition and its content type. */
  async scrape(): Promise<{ contentType: string; text: string }> {
    const { registry } = await this.#load();
    return { contentType: registry.contentType, text: await registry.metrics() };
  }

  stop(): void {
    this.#loop.disable();
  }

  #load(): Promise<PrometheusMetrics> {
    this.#loaded ??= import('./prometheus-metrics.ts').then(({ PrometheusMetrics }) => {
      const metrics = new PrometheusMetrics(() => this.#lag());
      for (const apply of this.#pending) apply(metrics);
      this.#pending = [];
      this.#metrics = metrics;
      return metrics;
    });
    return this.#loaded;
  }

  #apply(change: Pending): void {
    if (this.#metrics) {
      change(this.#metrics);
      return;
    }
    this.#pending.push(change);
    if (this.#pending.length > MAX_PENDING) this.#load().catch(() => undefined);
  }

  /** The longest event-loop delay since the last scrape, in seconds. */
  #lag(): number {
    const max = this.#loop.max;
    this.#loop.reset();
    return Number.isFinite(max) ? max / 1e9 : 0;
  }
}
