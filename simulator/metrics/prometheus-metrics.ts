import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { SimulatorEventName } from '../events/simulator-events.ts';
import type { UploadRecord } from '../storage/upload-store.ts';

/** What a namespace tells the metrics when they are scraped, rather than by events. */
export interface NamespaceGauges {
  /** Files received and waiting to be processed. */
  queueDepth(): number | Promise<number>;
  /** SFTP sessions open now. */
  sessions(): number;
}

const NS = ['namespace'] as const;

/**
 * The simulator's Prometheus metrics, fed one event at a time. Every series but the process's
 * event-loop lag carries a `namespace` label, so one scrape of a shared instance tells teams apart.
 */
export class PrometheusMetrics {
  readonly registry = new Registry();
  readonly #gauges = new Map<string, NamespaceGauges>();
  /** Wall-clock start of each file in processing, per namespace and file id. */
  readonly #started = new Map<string, number>();
  readonly #logins = new Counter({
    name: 'datasync_sftp_logins_total',
    help: 'SFTP logins by result (accepted, refused).',
    labelNames: [...NS, 'result'],
    registers: [this.registry],
  });
  readonly #limited = new Counter({
    name: 'datasync_sftp_limited_total',
    help: 'SFTP connections and sessions refused or closed by a limit, by limit (maxStartupsPerAddress, ...).',
    labelNames: [...NS, 'limit'],
    registers: [this.registry],
  });
  readonly #uploads = new Counter({
    name: 'datasync_uploads_total',
    help: 'Uploads received completely, by SFTP folder.',
    labelNames: [...NS, 'folder'],
    registers: [this.registry],
  });
  readonly #bytes = new Counter({
    name: 'datasync_upload_bytes_total',
    help: 'Bytes of the uploads received completely, by SFTP folder.',
    labelNames: [...NS, 'folder'],
    registers: [this.registry],
  });
  readonly #files = new Counter({
    name: 'datasync_files_total',
    help: 'Files that left processing, by outcome (processed, failed, superseded, halted).',
    labelNames: [...NS, 'outcome'],
    registers: [this.registry],
  });
  readonly #duration = new Histogram({
    name: 'datasync_processing_duration_seconds',
    help: 'Wall-clock time from a file starting processing to its outcome, by kind (bib, lhr).',
    labelNames: [...NS, 'kind'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [this.registry],
  });
  readonly #records = new Counter({
    name: 'datasync_records_total',
    help: 'Records processed, by the action taken (the processing report action words).',
    labelNames: [...NS, 'action'],
    registers: [this.registry],
  });
  readonly #reports = new Counter({
    name: 'datasync_reports_written_total',
    help: "Reports written to the institutions' report folders.",
    labelNames: [...NS],
    registers: [this.registry],
  });
  readonly #faults = new Counter({
    name: 'datasync_faults_fired_total',
    help: 'Fault rules applied, by the operation they shaped.',
    labelNames: [...NS, 'operation'],
    registers: [this.registry],
  });
  readonly #api = new Counter({
    name: 'datasync_api_requests_total',
    help: 'Admin API requests answered, by method and HTTP status.',
    labelNames: [...NS, 'method', 'status'],
    registers: [this.registry],
  });

  constructor(eventLoopLag: () => number) {
    const gauges = this.#gauges;
    new Gauge({
      name: 'datasync_queue_depth',
      help: 'Files queued for processing now.',
      labelNames: [...NS],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const [namespace, source] of gauges) this.set({ namespace }, await source.queueDepth());
      },
    });
    new Gauge({
      name: 'datasync_sftp_sessions',
      help: 'SFTP sessions open now.',
      labelNames: [...NS],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [namespace, source] of gauges) this.set({ namespace }, source.sessions());
      },
    });
    new Gauge({
      name: 'datasync_event_loop_lag_seconds',
      help: 'The longest event-loop delay since the last scrape (one process serves every namespace).',
      registers: [this.registry],
      collect() {
        this.set(eventLoopLag());
      },
    });
  }

  /** Starts reporting a namespace's series (at zero, so dashboards see it before any work). */
  addNamespace(namespace: string, gauges: NamespaceGauges): void {
    this.#gauges.set(namespace, gauges);
    // Series that exist from the start, so rate() and dashboards see zeros rather than gaps.
    this.#reports.inc({ namespace }, 0);
    for (const result of ['accepted', 'refused']) this.#logins.inc({ namespace, result }, 0);
    for (const outcome of ['processed', 'failed']) this.#files.inc({ namespace, outcome }, 0);
  }

  /** Stops reporting a deleted namespace: its series leave the next scrape. */
  async removeNamespace(namespace: string): Promise<void> {
    this.#gauges.delete(namespace);
    for (const key of this.#started.keys()) if (key.startsWith(`${namespace}/`)) this.#started.delete(key);
    const metrics = [
      this.#logins,
      this.#limited,
      this.#uploads,
      this.#bytes,
      this.#files,
      this.#records,
      this.#reports,
    ];
    for (const metric of [...metrics, this.#faults, this.#api]) {
      const { values } = await metric.get();
      for (const { labels } of values)
        if (labels['namespace'] === namespace) metric.remove(labels as Record<string, string>);
    }
    const { values } = await this.#duration.get();
    const histograms = new Set(
      values.filter((v) => v.labels['namespace'] === namespace).map((v) => v.labels['kind']),
    );
    for (const kind of histograms) this.#duration.remove({ namespace, kind: String(kind) });
  }

  apiRequest(namespace: string, method: string, status: number): void {
    this.#api.inc({ namespace, method, status: String(status) });
  }

  /** Counts one simulator event; `at` is when it was emitted (performance.now()). */
  record(namespace: string, event: SimulatorEventName, payload: unknown, at: number): void {
    switch (event) {
      case 'auth:accepted':
        this.#logins.inc({ namespace, result: 'accepted' });
        return;
      case 'auth:refused':
        this.#logins.inc({ namespace, result: 'refused' });
        return;
      case 'sftp:limited':
        this.#limited.inc({ namespace, limit: (payload as { limit: string }).limit });
        return;
      case 'upload:received': {
        const file = payload as UploadRecord;
        this.#uploads.inc({ namespace, folder: file.folder });
        this.#bytes.inc({ namespace, folder: file.folder }, file.size ?? 0);
        return;
      }
      case 'file:processing':
        this.#started.set(`${namespace}/${(payload as UploadRecord).id}`, at);
        return;
      case 'file:processed':
      case 'file:failed':
      case 'file:superseded':
      case 'file:halted':
        this.#finished(namespace, event.slice('file:'.length), payload as UploadRecord, at);
        return;
      case 'fault:applied':
        this.#faults.inc({ namespace, operation: (payload as { operation: string }).operation });
        return;
      default:
    }
  }

  #finished(namespace: string, outcome: string, file: UploadRecord, at: number): void {
    this.#files.inc({ namespace, outcome });
    const key = `${namespace}/${file.id}`;
    const started = this.#started.get(key);
    if (started !== undefined) {
      this.#started.delete(key);
      this.#duration.observe({ namespace, kind: file.kind }, (at - started) / 1000);
    }
    for (const [action, count] of Object.entries(file.summary?.actions ?? {}))
      this.#records.inc({ namespace, action }, count);
    const reports = file.summary?.reports.length ?? 0;
    this.#reports.inc({ namespace }, reports);
  }
}
