import { Counter, Gauge, type Registry } from 'prom-client';
import { recordAlertPut } from '../history/alert-events';
import type { HistorySink } from '../history/sink';
import type { Logger } from '../types/logger';
import { type Alert, isResolved } from '../types/alert';
import type { Clock, TimerHandle } from '../types/clock';
import { getOrCreateMetric } from '../types/metrics';
import type { AlertsProvider } from './types';

/** What MemAlerts needs from its durable copy (src/store's SQLite AlertStore implements it; the app wires it). */
export interface AlertPersistence {
  /** every stored alert (loaded once, on construction) */
  loadAll(): Alert[];
  /** every stored alert in pages (restore(): loaded between event-loop turns) */
  loadPages?(): Iterable<Alert[]>;
  /** as loadPages, read while the event loop does other work (restore() prefers it) */
  loadPagesAsync?(): AsyncIterable<Alert[]>;
  /** starts loadPagesAsync()'s reading now, ahead of restore() (called on construction with deferLoad) */
  prefetch?(): void;
  /** one stored alert (restore(): a put of an alert not restored yet merges with the stored one) */
  get?(fingerprint: string): Alert | undefined;
  /**
   * Insert or replace, durably once it returns. `previous` may tell what is stored under a fingerprint (the
   * alert as the caller held it before this put, undefined: not stored; a cheaper write; a wrong guess must
   * still store the alert). With `lazyAt` (the time of the put), an alert that changes nothing but updatedAt and
   * a small endsAt extension need not be written (the lazy rule of src/store/alert-merge.ts needsWrite).
   */
  save(alerts: readonly Alert[], previous?: (fingerprint: string) => Alert | undefined, lazyAt?: number): void;
  delete(fingerprints: readonly string[]): void;
}

export interface MemAlertsOptions {
  clock: Clock;
  logger: Logger;
  /** durable copy; alerts found there are loaded on construction. Omit for a memory-only store (tests). */
  store?: AlertPersistence;
  /** load the stored alerts with restore() (in slices, while put() already works) instead of on construction */
  deferLoad?: boolean;
  /** --alerts.gc-interval in ms (upstream default 30m) */
  gcInterval: number;
  /** --alerts.per-alertname-limit: max fingerprints per alertname (0 = no limit) */
  perAlertnameLimit?: number;
  registry?: Registry;
  /** --enable-feature=alert-names-in-metrics: alertmanager_alerts_limited_total gets an `alertname` label */
  alertNamesInMetrics?: boolean;
  /** the history recorder (src/history): alert first seen, changed, resolved by its client */
  history?: HistorySink;
}

/**
 * upstream alert.Alert.Merge (alert/alert.go): the younger alert (larger updatedAt) is the base; the earliest
 * startsAt wins; a resolved younger keeps the later explicit end of a resolved older; a firing younger takes
 * the older's later endsAt only if that one was explicit (not a resolve_timeout default).
 */
export function mergeAlerts(a: Alert, o: Alert, now: number): Alert {
  if (o.updatedAt < a.updatedAt) return mergeAlerts(o, a, now);
  let startsAt = o.startsAt;
  let endsAt = o.endsAt;
  if (a.startsAt < o.startsAt) startsAt = a.startsAt;
  if (isResolved(o, now)) {
    if (isResolved(a, now) && a.endsAt > o.endsAt) endsAt = a.endsAt;
  } else if (a.endsAt > o.endsAt && !a.timeout) {
    endsAt = a.endsAt;
  }
  if (startsAt === o.startsAt && endsAt === o.endsAt) return o;
  return { ...o, startsAt, endsAt };
}

/** provider/mem Put: merge only when the activity ranges overlap (strictly), else replace. */
export function overlaps(old: Alert, alert: Alert): boolean {
  return (alert.endsAt > old.startsAt && alert.endsAt < old.endsAt) || (alert.startsAt > old.startsAt && alert.startsAt < old.endsAt);
}

/**
 * The alert store: an in-memory map (the read path) backed by SQLite (the durable copy, loaded at start).
 * Implements upstream provider/mem semantics: merge on put, GC of resolved alerts every gcInterval.
 */
export class MemAlerts implements AlertsProvider {
  readonly #alerts = new Map<string, Alert>();
  readonly #listeners = new Set<(a: Alert) => void>();
  readonly #deleteListeners = new Set<(fps: readonly string[]) => void>();
  readonly #opts: MemAlertsOptions;
  #timer: TimerHandle | undefined;
  /** alertname -> fingerprints, only with a per-alertname limit */
  readonly #byName = new Map<string, Set<string>>();
  readonly #limit: number;
  readonly #limited: Counter<string> | undefined;
  /** restore() has not finished: stored alerts may be missing from #alerts */
  #restoring = false;
  /** stop() was called: a restore() under way ends at its next page */
  #stopped = false;
  /** put() or applyStored() ran since restore() began: a restored alert may already be held (and newer) */
  #changedWhileRestoring = false;

  constructor(opts: MemAlertsOptions) {
    this.#opts = opts;
    this.#limit = opts.perAlertnameLimit && opts.perAlertnameLimit > 0 ? opts.perAlertnameLimit : 0;
    if (opts.store && !opts.deferLoad) for (const a of opts.store.loadAll()) this.#alerts.set(a.fingerprint, a);
    this.#restoring = Boolean(opts.store && opts.deferLoad);
    // the stored alerts' first page is read (SQLite's writer thread: started) while the app is being built
    if (this.#restoring) opts.store?.prefetch?.();
    if (this.#limit > 0) for (const a of this.#alerts.values()) this.#bucket(a).add(a.fingerprint);
    if (opts.registry) {
      const reg = opts.registry;
      const g = getOrCreateMetric(
        reg,
        'alertmanager_alerts_per_alert_limit',
        () => new Gauge({ name: 'alertmanager_alerts_per_alert_limit', help: 'Current limit on number of alerts per alert name', registers: [reg] }),
      );
      g.set(this.#limit);
      this.#limited = getOrCreateMetric(
        reg,
        'alertmanager_alerts_limited_total',
        () =>
          new Counter({
            name: 'alertmanager_alerts_limited_total',
            help: 'Total number of alerts that were dropped due to per alert name limit',
            labelNames: opts.alertNamesInMetrics ? ['alertname'] : [],
            registers: [reg],
          }),
      );
    }
  }

  #bucket(a: Alert): Set<string> {
    const name = a.labels.alertname ?? '';
    let b = this.#byName.get(name);
    if (!b) {
      b = new Set();
      this.#byName.set(name, b);
    }
    return b;
  }

  /**
   * upstream store limits: a new fingerprint over the per-alertname limit is admitted only by evicting the
   * bucket's alert with the earliest endsAt, if that one is already resolved; otherwise it is dropped.
   * Returns the fingerprint to evict, '' to admit without eviction, or undefined to drop.
   */
  #admit(a: Alert, now: number, pending: Map<string, Alert>): string | undefined {
    const bucket = this.#bucket(a);
    if (bucket.has(a.fingerprint) || bucket.size < this.#limit) return '';
    let oldest: Alert | undefined;
    for (const fp of bucket) {
      const x = pending.get(fp) ?? this.#alerts.get(fp);
      if (x && (!oldest || x.endsAt < oldest.endsAt)) oldest = x;
    }
    if (oldest && isResolved(oldest, now)) return oldest.fingerprint;
    return undefined;
  }

  put(alerts: readonly Alert[]): readonly Alert[] {
    const now = this.#opts.clock.now();
    const stored: Alert[] = [];
    // Within one batch a later alert with the same fingerprint merges with the earlier one, as upstream's loop does.
    const pending = new Map<string, Alert>();
    const evicted: string[] = [];
    /** fingerprint -> stored.length when it was last evicted: earlier entries of it in `stored` are gone */
    const evictedAt = new Map<string, number>();
    /** stored alerts not restored yet that this batch merges with (restore() skips them: memory is newer) */
    const unrestored = this.#restoring ? new Map<string, Alert>() : undefined;
    if (this.#restoring) this.#changedWhileRestoring = true;
    for (let i = 0; i < alerts.length; i++) {
      let alert = alerts[i]!;
      let old = pending.get(alert.fingerprint) ?? this.#alerts.get(alert.fingerprint);
      if (!old && unrestored) {
        old = this.#opts.store?.get?.(alert.fingerprint);
        if (old) {
          unrestored.set(alert.fingerprint, old);
          if (this.#limit > 0) this.#bucket(old).add(old.fingerprint);
        }
      }
      if (!old && this.#limit > 0) {
        const verdict = this.#admit(alert, now, pending);
        if (verdict === undefined) {
          if (this.#opts.alertNamesInMetrics) this.#limited?.inc({ alertname: alert.labels.alertname ?? '' });
          else this.#limited?.inc();
          this.#opts.logger.warn({ alertname: alert.labels.alertname ?? '' }, 'alert dropped: per-alertname limit reached');
          continue;
        }
        if (verdict !== '') {
          // only what was stored before this batch is deleted and announced as such
          if (this.#alerts.has(verdict)) evicted.push(verdict);
          evictedAt.set(verdict, stored.length);
          pending.delete(verdict);
          this.#alerts.delete(verdict);
          this.#bucket(alert).delete(verdict);
        }
        this.#bucket(alert).add(alert.fingerprint);
      }
      if (old && overlaps(old, alert)) alert = mergeAlerts(old, alert, now);
      if (this.#opts.history) recordAlertPut(this.#opts.history, old, alert, now);
      pending.set(alert.fingerprint, alert);
      stored.push(alert);
    }
    // an alert admitted earlier in this batch and evicted later in it was never stored: not announced, not returned
    const kept = evictedAt.size === 0 ? stored : stored.filter((a, i) => i >= (evictedAt.get(a.fingerprint) ?? 0));
    // evicted and then put again later in this batch: it stays
    const gone = evictedAt.size === 0 ? evicted : evicted.filter((fp) => !pending.has(fp));
    // durable first: the API answers 200 only after this returns
    // rows of fingerprints held in memory exist in the store (memory follows the store)
    this.#opts.store?.save([...pending.values()], unrestored ? (fp) => this.#alerts.get(fp) ?? unrestored.get(fp) : (fp) => this.#alerts.get(fp), now);
    if (gone.length > 0) {
      this.#opts.store?.delete(gone);
      this.#notifyDeleted(gone);
    }
    for (const [fp, a] of pending) this.#alerts.set(fp, a);
    for (const a of kept) {
      for (const l of this.#listeners) {
        try {
          l(a);
        } catch (err) {
          this.#opts.logger.error({ err }, 'alert subscriber failed');
        }
      }
    }
    return kept;
  }

  /**
   * Takes in alerts as the shared store holds them (already merged there: the result of this replica's own
   * write, or another replica's write read from the change feed): memory only, no merge, no limit check.
   * Subscribers hear of each alert that differs from the one held.
   */
  applyStored(alerts: readonly Alert[]): void {
    if (this.#restoring) this.#changedWhileRestoring = true;
    for (const a of alerts) {
      const cur = this.#alerts.get(a.fingerprint);
      // older than what memory holds (a write of this replica not read back yet): the store catches up
      if (cur && (cur.updatedAt > a.updatedAt || (cur.updatedAt === a.updatedAt && cur.startsAt === a.startsAt && cur.endsAt === a.endsAt))) continue;
      this.#alerts.set(a.fingerprint, a);
      if (this.#limit > 0) this.#bucket(a).add(a.fingerprint);
      for (const l of this.#listeners) {
        try {
          l(a);
        } catch (err) {
          this.#opts.logger.error({ err }, 'alert subscriber failed');
        }
      }
    }
  }

  /** restore() has finished (or there was nothing to restore) */
  get restored(): boolean {
    return !this.#restoring;
  }

  /**
   * With `deferLoad`: loads the stored alerts page by page, yielding to the event loop between pages, so the
   * server answers (and accepts alerts) meanwhile. Restored alerts are not announced to subscribers: start
   * what follows the store (the dispatcher) once this has settled, from all(). An alert put meanwhile was
   * merged with its stored version then (put() reads it from the store): the version in memory is the newer
   * one, and the stored row is not restored over it.
   */
  async restore(yieldTurn: () => Promise<void> = () => new Promise((resolve) => setImmediate(resolve))): Promise<void> {
    const store = this.#opts.store;
    if (!this.#restoring || !store) return;
    try {
      const pages = store.loadPagesAsync ? store.loadPagesAsync() : store.loadPages ? store.loadPages() : [store.loadAll()];
      for await (const page of pages) {
        if (this.#stopped) return;
        // one hash lookup per alert, not two, while nothing else has written (the usual start)
        const check = this.#changedWhileRestoring;
        for (const a of page) {
          if (check && this.#alerts.has(a.fingerprint)) continue;
          this.#alerts.set(a.fingerprint, a);
          if (this.#limit > 0) this.#bucket(a).add(a.fingerprint);
        }
        await yieldTurn();
      }
    } finally {
      this.#restoring = false;
    }
  }

  get(fingerprint: string): Alert | undefined {
    return this.#alerts.get(fingerprint);
  }

  all(): IterableIterator<Alert> {
    return this.#alerts.values();
  }

  count(): number {
    return this.#alerts.size;
  }

  subscribe(listener: (alert: Alert) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  onDelete(listener: (fingerprints: readonly string[]) => void): () => void {
    this.#deleteListeners.add(listener);
    return () => this.#deleteListeners.delete(listener);
  }

  released(fingerprints: readonly string[]): void {
    const gone = fingerprints.filter((fp) => !this.#alerts.has(fp));
    if (gone.length > 0) this.#notifyDeleted(gone);
  }

  /** Delete resolved alerts (upstream store.Alerts.GC). Returns the deleted fingerprints. */
  gc(): string[] {
    const now = this.#opts.clock.now();
    const deleted: string[] = [];
    for (const [fp, a] of this.#alerts) {
      if (isResolved(a, now)) {
        deleted.push(fp);
        this.#alerts.delete(fp);
        if (this.#limit > 0) this.#bucket(a).delete(fp);
      }
    }
    if (deleted.length === 0) return deleted;
    this.#opts.store?.delete(deleted);
    this.#notifyDeleted(deleted);
    return deleted;
  }

  #notifyDeleted(fps: readonly string[]): void {
    for (const l of this.#deleteListeners) {
      try {
        l(fps);
      } catch (err) {
        this.#opts.logger.error({ err }, 'alert delete listener failed');
      }
    }
  }

  /** Start the periodic GC. */
  start(): void {
    if (this.#timer || this.#opts.gcInterval <= 0) return;
    const tick = () => {
      try {
        this.gc();
      } catch (err) {
        this.#opts.logger.error({ err }, 'alert GC failed');
      }
      this.#timer = this.#opts.clock.setTimer(this.#opts.gcInterval, tick);
    };
    this.#timer = this.#opts.clock.setTimer(this.#opts.gcInterval, tick);
  }

  stop(): void {
    this.#stopped = true;
    this.#timer?.cancel();
    this.#timer = undefined;
  }
}
