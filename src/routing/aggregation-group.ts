/**
 * @module routing/aggregation-group
 * One aggregation group (upstream dispatch/dispatch.go aggrGroup): the alerts of one route with the same
 * group labels, and ONE timer: group_wait before the first flush, then group_interval between flushes.
 * repeat_interval is decided by the dedup stage at each flush.
 */
import { recordAlertGrouped, recordGroupResolved } from '../history/alert-events';
import type { HistorySink } from '../history/sink';
import { setMaxListeners } from 'node:events';
import type { Stage } from '../pipeline/types';
import { type Alert, isResolved, type LabelSet } from '../types/alert';
import type { Clock, TimerHandle } from '../types/clock';
import type { Logger } from '../types/logger';
import { labelSetString } from '../types/labels';
import type { FlushSlices } from './flush-slices';
import { compareAlerts } from './labels';
import type { Route } from './route';

export interface AggregationGroupOptions {
  route: Route;
  labels: LabelSet;
  stage: Stage | undefined;
  clock: Clock;
  logger: Logger;
  /** called once when the group empties after a successful flush */
  onDestroy: (g: AggregationGroup) => void;
  /**
   * called with the fingerprints of the alerts the group drops: the resolved ones after a successful flush, and
   * every alert it still holds when stopped (see AlertsProvider.released)
   */
  onRelease?: (fingerprints: readonly string[]) => void;
  /** called with each flush outcome (for tests/metrics) */
  onFlush?: (g: AggregationGroup, ok: boolean, err?: unknown) => void;
  /** spreads simultaneous flushes over event-loop turns (one per Dispatcher, shared by its groups) */
  slices: FlushSlices;
  /**
   * HA replicas: ms a resolved alert stays in the group after its end even though a flush succeeded (this
   * replica did not notify the group: another one owns it, and this one may have to take over and send the
   * resolution). 0 or absent: dropped after the flush, as upstream.
   */
  keepResolvedFor?: (groupKey: string, groupInterval: number) => number;
  /** the history recorder (src/history): alert_grouped, alert_resolved, and the pipeline's events via the context */
  history?: HistorySink;
}

/** The group key of the group these labels form on this route (upstream aggrGroup.GroupKey): `<route key>:<labels>`. */
export function groupKeyOf(route: Pick<Route, 'key'>, groupLabels: LabelSet): string {
  return `${route.key}:${labelSetString(groupLabels)}`;
}

/** The flush deadline: the next flush, but at least 10 s (upstream aggrGroup.timeout without HA). */
export function flushTimeout(groupInterval: number): number {
  return Math.max(groupInterval, 10_000);
}

export class AggregationGroup {
  readonly route: Route;
  readonly labels: LabelSet;
  readonly labelsString: string;
  readonly groupKey: string;
  readonly #alerts = new Map<string, Alert>();
  readonly #o: AggregationGroupOptions;
  #timer: TimerHandle | undefined;
  #flushing = false;
  #pendingTick = false;
  /** an extra flush was asked for while one ran */
  #pendingExtra = false;
  #destroyed = false;
  #stopped = false;
  #abort: AbortController | undefined;
  /** time-interval names muting this group at its last flush */
  mutedBy: readonly string[] = [];
  /** epoch ms of the next scheduled flush (for introspection/tests) */
  nextFlushAt = 0;

  constructor(o: AggregationGroupOptions) {
    this.#o = o;
    this.route = o.route;
    this.labels = o.labels;
    this.groupKey = groupKeyOf(o.route, o.labels);
    this.labelsString = this.groupKey.slice(o.route.key.length + 1);
  }

  get size(): number {
    return this.#alerts.size;
  }

  get destroyed(): boolean {
    return this.#destroyed;
  }

  alerts(): IterableIterator<Alert> {
    return this.#alerts.values();
  }

  has(fp: string): boolean {
    return this.#alerts.has(fp);
  }

  /** Adds or replaces an alert; `record` false: no alert_grouped event (a restart rebuilding the groups it had). */
  insert(a: Alert, record = true): void {
    if (record && this.#o.history && !this.#alerts.has(a.fingerprint)) recordAlertGrouped(this.#o.history, a, this.groupKey, this.route.opts.receiver, this.#o.clock.now(), this.labels);
    this.#alerts.set(a.fingerprint, a);
  }

  /** Arms the first flush `delay` ms from now. */
  schedule(delay: number): void {
    this.#timer?.cancel();
    this.nextFlushAt = this.#o.clock.now() + Math.max(0, delay);
    this.#timer = this.#o.clock.setTimer(delay, () => this.#tick());
  }

  #tick(): void {
    if (this.#stopped || this.#destroyed) return;
    if (this.#flushing) {
      // upstream's loop consumes the next tick only after the flush returns
      this.#pendingTick = true;
      return;
    }
    this.schedule(this.route.opts.groupInterval);
    // many groups due at once start their flushes over several event-loop turns (see FlushSlices)
    this.#flushing = true;
    this.#o.slices.run(() => {
      this.#flushing = false;
      if (this.#stopped || this.#destroyed) return;
      void this.flush(this.#o.clock.now());
    });
  }

  /**
   * A flush now, outside the group_interval rhythm (the timer is left as it is): an escalation step is due. While
   * a flush runs, it follows that one.
   */
  flushNow(): void {
    if (this.#stopped || this.#destroyed) return;
    if (this.#flushing) {
      this.#pendingExtra = true;
      return;
    }
    this.#flushing = true;
    this.#o.slices.run(() => {
      this.#flushing = false;
      if (this.#stopped || this.#destroyed) return;
      void this.flush(this.#o.clock.now());
    });
  }

  /** One flush at time `now`: run the receiver's pipeline over a snapshot of the group. */
  async flush(now: number): Promise<boolean> {
    if (this.#alerts.size === 0) return true;
    this.#flushing = true;
    const snapshot: Alert[] = [];
    const resolved: Alert[] = [];
    for (const a of this.#alerts.values()) {
      if (isResolved(a, now)) {
        snapshot.push(a);
        resolved.push(a);
      } else snapshot.push(a.endsAt === 0 ? a : { ...a, endsAt: 0 });
    }
    snapshot.sort(compareAlerts);
    const ac = new AbortController();
    // every integration of the receiver (and each HTTP request) listens on this one signal
    setMaxListeners(0, ac.signal);
    this.#abort = ac;
    const deadline = this.#o.clock.setTimer(flushTimeout(this.route.opts.groupInterval), () =>
      ac.abort(new DOMException('context deadline exceeded', 'TimeoutError')),
    );
    const opts = this.route.opts;
    this.mutedBy = [];
    let ok = false;
    let error: unknown;
    try {
      if (this.#o.stage) {
        await this.#o.stage.exec(
          Object.freeze({
            receiver: opts.receiver,
            groupKey: this.groupKey,
            groupLabels: this.labels,
            routeId: this.route.id,
            routeLabels: opts.labels,
            now,
            repeatInterval: opts.repeatInterval,
            muteTimeIntervals: opts.muteTimeIntervals,
            activeTimeIntervals: opts.activeTimeIntervals,
            signal: ac.signal,
            logger: this.#o.logger,
            ...(this.#o.history ? { history: this.#o.history } : {}),
            setMutedBy: (names: readonly string[]) => {
              this.mutedBy = [...names];
            },
          }),
          snapshot,
        );
      }
      ok = true;
    } catch (err) {
      error = err;
      if (!this.#stopped) this.#o.logger.error({ aggrGroup: this.groupKey, err: (err as Error)?.message ?? String(err) }, 'Notify for alerts failed');
    } finally {
      deadline.cancel();
      this.#abort = undefined;
      this.#flushing = false;
    }
    if (ok) {
      const dropped: string[] = [];
      const keep = this.#o.keepResolvedFor?.(this.groupKey, this.route.opts.groupInterval) ?? 0;
      for (const a of resolved) {
        const cur = this.#alerts.get(a.fingerprint);
        // keep it if it was updated (e.g. re-fired) during the flush
        if (cur && cur.updatedAt === a.updatedAt && cur.endsAt === a.endsAt && now - a.endsAt >= keep) {
          this.#alerts.delete(a.fingerprint);
          dropped.push(a.fingerprint);
          if (this.#o.history) recordGroupResolved(this.#o.history, a, this.groupKey, this.route.opts.receiver, now, this.labels);
        }
      }
      if (dropped.length > 0) this.#o.onRelease?.(dropped);
      if (this.#alerts.size === 0) this.#destroy();
    }
    this.#o.onFlush?.(this, ok, error);
    if (this.#pendingTick && !this.#destroyed && !this.#stopped) {
      this.#pendingTick = false;
      this.#tick();
    }
    if (this.#pendingExtra && !this.#destroyed && !this.#stopped) {
      this.#pendingExtra = false;
      this.flushNow();
    }
    return ok;
  }

  #destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#o.onDestroy(this);
  }

  /** Stops the timer and cancels an in-flight notification (reload/shutdown). */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#abort?.abort(new DOMException('context canceled', 'AbortError'));
    // a reload rebuilds groups from the store: alerts only this group still held are gone with it
    if (this.#alerts.size > 0 && !this.#destroyed) this.#o.onRelease?.([...this.#alerts.keys()]);
  }
}
