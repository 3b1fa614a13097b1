/**
 * @module nflog/nflog
 * The notification log (upstream nflog/nflog.go): one entry per (group key, receiver, integration, index)
 * recording what was last notified. Held in memory for queries; every write goes through to an NflogStore
 * (SQLite, src/store/nflog.ts) before log() returns (or, with batchWrites, before the promise it returns
 * resolves: one transaction per event-loop turn), so a restart or kill -9 never forgets a delivery.
 * Intents (intend(), for resolved_after_mute) cover the one thing a log written after the send cannot: a
 * notification in flight at a kill, which the receiver may have got.
 */
import { Counter, Gauge, Histogram, Summary, type Registry } from 'prom-client';
import type { IntegrationRef, NflogEntry, NflogIntent, NflogLogArgs, NotificationLog } from './types';
import type { Clock, TimerHandle } from '../types/clock';
import type { Logger } from '../types/logger';
import { getOrCreateMetric } from '../types/metrics';

/** Durable storage for entries. */
export interface NflogStore {
  loadAll(): NflogEntry[];
  /** durable once it returns */
  upsert(key: string, e: NflogEntry): void;
  /** several entries in one transaction (all or none); durable once it returns */
  upsertMany?(entries: Iterable<readonly [string, NflogEntry]>): void;
  /** delete entries with expiresAt <= now; returns how many */
  deleteExpired(now: number): number;
  /** bytes held, for the snapshot size metric */
  sizeBytes?(): number;
  /** the intents held (NotificationLog.intend); a store without them keeps none across a restart */
  loadIntents?(): NflogIntent[];
  /** writes an intent (undefined: deletes it); durable once it returns. deleteExpired() deletes expired ones too */
  putIntent?(key: string, intent: NflogIntent | undefined): void;
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
  /**
   * Write-behind: log() returns a promise, and the entries logged in one turn of the event loop (e.g. the
   * responses to many flushes read together) are committed in ONE transaction on the next setImmediate;
   * each promise resolves only after that commit (rejects if it fails). Needs a store with upsertMany.
   */
  batchWrites?: boolean;
}

// the real setImmediate, also under test fake timers: a commit must never wait for a fake clock
const defer: (fn: () => void) => unknown = setImmediate;

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
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
  /** write-behind queue: entries not yet committed (the newest per key) and who waits for them */
  #pending = new Map<string, NflogEntry>();
  #waiters: Waiter[] = [];
  #commitScheduled = false;
  /** intents by entry key (intend()): alerts maybe told firing by a notification not (yet) logged */
  readonly #intents = new Map<string, NflogIntent>();

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
      for (const i of o.store.loadIntents?.() ?? []) {
        if (i.expiresAt > now) this.#intents.set(entryKey(i.groupKey, i.receiver), i);
      }
    }
  }

  intend(groupKey: string, receiver: IntegrationRef, firing: readonly string[], repeatInterval: number): void {
    const key = entryKey(groupKey, receiver);
    const told = new Set(this.#entries.get(key)?.firingAlerts);
    const held = this.#intents.get(key);
    for (const fp of held?.firing ?? []) told.add(fp);
    const added = firing.filter((fp) => !told.has(fp));
    if (added.length === 0) return;
    const now = this.#o.clock.now();
    const intent: NflogIntent = { groupKey, receiver: { ...receiver }, firing: [...(held?.firing ?? []), ...added], expiresAt: now + this.#ttl(repeatInterval) };
    this.#o.store?.putIntent?.(key, intent);
    this.#intents.set(key, intent);
  }

  intended(groupKey: string, receiver: IntegrationRef): readonly string[] | undefined {
    return this.#intents.get(entryKey(groupKey, receiver))?.firing;
  }

  /** The intent held for an entry key (a shared store writes it through: src/app/ha/shared-nflog.ts). */
  intentOf(key: string): NflogIntent | undefined {
    return this.#intents.get(key);
  }

  /**
   * Takes in a stored intent (read from a shared store: another replica's, for a group this one takes over): its
   * alerts join those held for the key, the later expiry wins; an expired one is ignored.
   */
  applyIntent(i: NflogIntent): void {
    if (i.expiresAt <= this.#o.clock.now()) return;
    const key = entryKey(i.groupKey, i.receiver);
    const held = this.#intents.get(key);
    const firing = [...new Set([...(held?.firing ?? []), ...i.firing])];
    this.#intents.set(key, { groupKey: i.groupKey, receiver: { ...i.receiver }, firing, expiresAt: Math.max(held?.expiresAt ?? 0, i.expiresAt) });
  }

  /** an entry's time to live: twice the repeat interval, at most the retention */
  #ttl(repeatInterval: number): number {
    return repeatInterval > 0 ? Math.min(this.#retention, 2 * repeatInterval) : this.#retention;
  }

  /**
   * After entries are stored: each one's intent keeps only the alerts the entry does not list (firing or resolved).
   * Run after the entries' commit, never before: a kill between the two leaves the intent whole (the union is the
   * same). The entries are stored either way: a failed trim leaves an intent longer than needed, which only adds
   * to the union, so it is logged and not thrown.
   */
  #settleIntents(entries: Iterable<readonly [string, NflogEntry]>): void {
    if (this.#intents.size === 0) return;
    try {
      for (const [key, e] of entries) this.#settleIntent(key, e);
    } catch (err) {
      this.#o.logger?.error({ err }, 'Trimming the notification log intents failed');
    }
  }

  #settleIntent(key: string, e: NflogEntry): void {
    const held = this.#intents.get(key);
    if (!held) return;
    const listed = new Set([...e.firingAlerts, ...e.resolvedAlerts]);
    const left = held.firing.filter((fp) => !listed.has(fp));
    if (left.length === held.firing.length) return;
    const next = left.length > 0 ? { ...held, firing: left } : undefined;
    this.#o.store?.putIntent?.(key, next);
    if (next) this.#intents.set(key, next);
    else this.#intents.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }

  query(groupKey: string, receiver: IntegrationRef): NflogEntry | undefined {
    this.#m.queries?.inc();
    // observed directly: startTimer() allocates a closure, an hrtime pair and a label object per query (one per flush)
    const h = this.#m.queryDuration;
    const t0 = h ? performance.now() : 0;
    const e = this.#entries.get(entryKey(groupKey, receiver));
    h?.observe((performance.now() - t0) / 1000);
    return e;
  }

  log(...[receiver, groupKey, firing, resolved, repeatInterval, receiverData]: NflogLogArgs): void | Promise<void> {
    const now = this.#o.clock.now();
    const key = entryKey(groupKey, receiver);
    const prev = this.#entries.get(key);
    // Upstream keeps an existing entry whose timestamp is newer than now.
    if (prev && prev.timestamp > now) return this.#pending.has(key) ? this.#afterCommit() : undefined;
    const ttl = this.#ttl(repeatInterval);
    const e: NflogEntry = {
      groupKey,
      receiver: { ...receiver },
      timestamp: now,
      firingAlerts: [...firing],
      resolvedAlerts: [...resolved],
      ...(receiverData ? { receiverData: { ...receiverData } } : {}),
      expiresAt: now + ttl,
    };
    const store = this.#o.store;
    if (store?.upsertMany && this.#o.batchWrites) {
      this.#entries.set(key, e);
      this.#pending.set(key, e);
      return this.#afterCommit();
    }
    store?.upsert(key, e);
    this.#entries.set(key, e);
    this.#settleIntents([[key, e]]);
  }

  /**
   * Takes in an entry written elsewhere (another replica, read back from the shared store) unless the one held
   * is newer (upstream's merge rule: the newest timestamp wins). Memory only: the entry is already stored.
   */
  apply(e: NflogEntry): void {
    const key = entryKey(e.groupKey, e.receiver);
    const prev = this.#entries.get(key);
    if (prev && prev.timestamp > e.timestamp) return;
    if (e.expiresAt > this.#o.clock.now()) this.#entries.set(key, e);
  }

  /** A promise for the next commit of the write-behind queue (scheduling it). */
  #afterCommit(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#waiters.push({ resolve, reject });
      if (!this.#commitScheduled) {
        this.#commitScheduled = true;
        defer(() => this.flushWrites());
      }
    });
  }

  /** Commits the write-behind queue now, in one transaction, and settles its waiters. */
  flushWrites(): void {
    this.#commitScheduled = false;
    const pending = this.#pending;
    const waiters = this.#waiters;
    if (pending.size === 0 && waiters.length === 0) return;
    this.#pending = new Map();
    this.#waiters = [];
    try {
      if (pending.size > 0) this.#o.store?.upsertMany?.(pending);
    } catch (err) {
      this.#o.logger?.error({ err }, 'Writing the notification log failed');
      for (const w of waiters) w.reject(err);
      return;
    }
    this.#settleIntents(pending);
    for (const w of waiters) w.resolve();
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
    for (const [k, i] of this.#intents) if (i.expiresAt <= now) this.#intents.delete(k);
    // commit queued writes first: the store's delete must see them (or an expired one could survive)
    this.flushWrites();
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
    this.flushWrites();
  }
}
