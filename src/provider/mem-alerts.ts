import type { Logger } from '../types/logger';
import { type Alert, isResolved } from '../types/alert';
import type { Clock, TimerHandle } from '../types/clock';
import type { AlertStore } from '../store/alerts';
import type { AlertsProvider } from './types';

export interface MemAlertsOptions {
  clock: Clock;
  logger: Logger;
  /** durable copy; alerts found there are loaded on construction. Omit for a memory-only store (tests). */
  store?: AlertStore;
  /** --alerts.gc-interval in ms (upstream default 30m) */
  gcInterval: number;
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

  constructor(opts: MemAlertsOptions) {
    this.#opts = opts;
    if (opts.store) for (const a of opts.store.loadAll()) this.#alerts.set(a.fingerprint, a);
  }

  put(alerts: readonly Alert[]): readonly Alert[] {
    const now = this.#opts.clock.now();
    const stored: Alert[] = new Array(alerts.length);
    // Within one batch a later alert with the same fingerprint merges with the earlier one, as upstream's loop does.
    const pending = new Map<string, Alert>();
    for (let i = 0; i < alerts.length; i++) {
      let alert = alerts[i]!;
      const old = pending.get(alert.fingerprint) ?? this.#alerts.get(alert.fingerprint);
      if (old && overlaps(old, alert)) alert = mergeAlerts(old, alert, now);
      pending.set(alert.fingerprint, alert);
      stored[i] = alert;
    }
    // durable first: the API answers 200 only after this returns
    this.#opts.store?.save([...pending.values()]);
    for (const [fp, a] of pending) this.#alerts.set(fp, a);
    for (const a of stored) {
      for (const l of this.#listeners) {
        try {
          l(a);
        } catch (err) {
          this.#opts.logger.error({ err }, 'alert subscriber failed');
        }
      }
    }
    return stored;
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

  /** Delete resolved alerts (upstream store.Alerts.GC). Returns the deleted fingerprints. */
  gc(): string[] {
    const now = this.#opts.clock.now();
    const deleted: string[] = [];
    for (const [fp, a] of this.#alerts) {
      if (isResolved(a, now)) {
        deleted.push(fp);
        this.#alerts.delete(fp);
      }
    }
    if (deleted.length === 0) return deleted;
    this.#opts.store?.delete(deleted);
    for (const l of this.#deleteListeners) {
      try {
        l(deleted);
      } catch (err) {
        this.#opts.logger.error({ err }, 'alert delete listener failed');
      }
    }
    return deleted;
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
    this.#timer?.cancel();
    this.#timer = undefined;
  }
}
