/**
 * @module nflog/nflog
 * The notification log (upstream nflog/nflog.go): one entry per (group key, receiver, integration, index)
 * recording what was last notified. Held in memory for queries; every write goes through to an NflogStore
 * (SQLite, src/store/nflog.ts) before log() returns, so a restart or kill -9 never forgets a delivery.
 */
import { Counter, Gauge, Histogram, Summary, type Registry } from 'prom-client';
import type { IntegrationRef, NflogEntry, NotificationLog } from '../pipeline/types';
import type { Clock, TimerHandle } from '../types/clock';
import type { Logger } from '../types/logger';
import { getOrCreateMetric } from '../types/metrics';

/** Durable storage for entries. */
export interface NflogStore {
  loadAll(): NflogEntry[];
  /** durable once it returns */
  upsert(key: string, e: NflogEntry): void;
  /** delete entries with expiresAt <= now; returns how many */
  deleteExpired(now: number): number;
  /** bytes held, for the snapshot size metric */
  sizeBytes?(): number;
}

export function entryKey(groupKey: string, r: IntegrationRef): string {
  return `${groupKey}:${r.groupName}/${r.integration}/${r.idx}`;
}

export interface NflogOptions {
  clock: Clock;
  store?: NflogStore;
  logger?: Logger;
  registry?: Registry;
  /** --data.retention, default 120h */
  retention?: number;
  /** --data.maintenance-interval, default 15m */
  maintenanceInterval?: number;
}

function metric<T>(registry: Registry | undefined, name: string, make: (registers: Registry[]) => T): T | undefined {
  return registry ? getOrCreateMetric(registry, name, () => make([registry])) : undefined;
}

export class Nflog implements NotificationLog {
  readonly #entries = new Map<string, NflogEntry>();
  readonly #o: NflogOptions;
  readonly #retention: number;
  #timer: TimerHandle | undefined;
  readonly #m;

  constructor(o: NflogOptions) {
    this.#o = o;
    this.#retention = o.retention ?? 120 * 3600_000;
    const r = o.registry;
    this.#m = {
      queries: metric(r, 'alertmanager_nflog_queries_total', (registers) => new Counter({ name: 'alertmanager_nflog_queries_total', help: 'Number of notification log queries were received.', registers })),
      queryErrors: metric(r, 'alertmanager_nflog_query_errors_total', (registers) => new Counter({ name: 'alertmanager_nflog_query_errors_total', help: 'Number notification log received queries that failed.', registers })),
      queryDuration: metric(r, 'alertmanager_nflog_query_duration_seconds', (registers) => new Histogram({ name: 'alertmanager_nflog_query_duration_seconds', help: 'Duration of notification log query evaluation.', registers })),
      gcDuration: metric(r, 'alertmanager_nflog_gc_duration_seconds', (registers) => new Summary({ name: 'alertmanager_nflog_gc_duration_seconds', help: 'Duration of the last notification log garbage collection cycle.', registers })),
      snapshotDuration: metric(r, 'alertmanager_nflog_snapshot_duration_seconds', (registers) => new Summary({ name: 'alertmanager_nflog_snapshot_duration_seconds', help: 'Duration of the last notification log snapshot.', registers })),
      snapshotSize: metric(r, 'alertmanager_nflog_snapshot_size_bytes', (registers) => new Gauge({ name: 'alertmanager_nflog_snapshot_size_bytes', help: 'Size of the last notification log snapshot in bytes.', registers })),
      maintenance: metric(r, 'alertmanager_nflog_maintenance_total', (registers) => new Counter({ name: 'alertmanager_nflog_maintenance_total', help: 'How many maintenances were executed for the notification log.', registers })),
      maintenanceErrors: metric(r, 'alertmanager_nflog_maintenance_errors_total', (registers) => new Counter({ name: 'alertmanager_nflog_maintenance_errors_total', help: 'How many maintenances were executed for the notification log that failed.', registers })),
      gossip: metric(r, 'alertmanager_nflog_gossip_messages_propagated_total', (registers) => new Counter({ name: 'alertmanager_nflog_gossip_messages_propagated_total', help: 'Number of received gossip messages that have been further gossiped.', registers })),
    };
    if (o.store) {
      const now = o.clock.now();
      for (const e of o.store.loadAll()) {
        if (e.expiresAt > now) this.#entries.set(entryKey(e.groupKey, e.receiver), e);
      }
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  query(groupKey: string, receiver: IntegrationRef): NflogEntry | undefined {
    this.#m.queries?.inc();
    const end = this.#m.queryDuration?.startTimer();
    const e = this.#entries.get(entryKey(groupKey, receiver));
    end?.();
    return e;
  }

  log(
    receiver: IntegrationRef,
    groupKey: string,
    firing: readonly string[],
    resolved: readonly string[],
    repeatInterval: number,
    receiverData?: Readonly<Record<string, string | number>>,
  ): void {
    const now = this.#o.clock.now();
    const key = entryKey(groupKey, receiver);
    const prev = this.#entries.get(key);
    // Upstream keeps an existing entry whose timestamp is newer than now.
    if (prev && prev.timestamp > now) return;
    const ttl = repeatInterval > 0 ? Math.min(this.#retention, 2 * repeatInterval) : this.#retention;
    const e: NflogEntry = {
      groupKey,
      receiver: { ...receiver },
      timestamp: now,
      firingAlerts: [...firing],
      resolvedAlerts: [...resolved],
      ...(receiverData ? { receiverData: { ...receiverData } } : {}),
      expiresAt: now + ttl,
    };
    this.#o.store?.upsert(key, e);
    this.#entries.set(key, e);
  }

  /** Deletes expired entries from memory and the store. */
  gc(): number {
    const end = this.#m.gcDuration?.startTimer();
    const now = this.#o.clock.now();
    let n = 0;
    for (const [k, e] of this.#entries) {
      if (e.expiresAt <= now) {
        this.#entries.delete(k);
        n++;
      }
    }
    this.#o.store?.deleteExpired(now);
    end?.();
    return n;
  }

  /** Periodic GC on the clock (upstream Maintenance). */
  startMaintenance(): void {
    const every = this.#o.maintenanceInterval ?? 15 * 60_000;
    const tick = () => {
      this.#m.maintenance?.inc();
      try {
        this.gc();
        const end = this.#m.snapshotDuration?.startTimer();
        this.#m.snapshotSize?.set(this.#o.store?.sizeBytes?.() ?? 0);
        end?.();
      } catch (err) {
        this.#m.maintenanceErrors?.inc();
        this.#o.logger?.error({ err }, 'Running maintenance failed');
      }
      this.#timer = this.#o.clock.setTimer(every, tick);
    };
    this.#timer = this.#o.clock.setTimer(every, tick);
  }

  stop(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
  }
}
