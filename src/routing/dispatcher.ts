/**
 * @module routing/dispatcher
 * Routes every stored alert into aggregation groups (upstream dispatch/dispatch.go Dispatcher).
 * Cost per alert: one route-tree match plus one map lookup per matched route; one timer per group,
 * none per alert. On start, groups are rebuilt from the alert store; a group that the nflog shows was
 * notified recently resumes on its group_interval rhythm instead of a fresh group_wait.
 */
import type { HistorySink } from '../history/sink';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { IntegrationRef, NotificationLog, Stage } from '../pipeline/types';
import type { AlertsProvider } from '../provider/types';
import type { Alert, LabelSet } from '../types/alert';
import type { Clock, TimerHandle } from '../types/clock';
import type { Logger } from '../types/logger';
import { getOrCreateMetric } from '../types/metrics';
import { labelSetString } from '../types/labels';
import { AggregationGroup } from './aggregation-group';
import { FlushSlices } from './flush-slices';
import { groupValuesKey } from './group-values-key';
import type { Route } from './route';
import { SumCountSummary } from './sum-count-summary';

export interface DispatcherOptions {
  route: Route;
  alerts: AlertsProvider;
  /** receiver name -> pipeline stage */
  stages: ReadonlyMap<string, Stage>;
  clock: Clock;
  logger: Logger;
  registry?: Registry;
  /** used at start to resume groups that were notified before a restart/reload */
  nflog?: NotificationLog;
  /** receiver name -> its integrations' nflog identities */
  integrationRefs?: ReadonlyMap<string, readonly IntegrationRef[]>;
  onFlush?: (g: AggregationGroup, ok: boolean, err?: unknown) => void;
  /**
   * Epoch ms before which no group flushes (--dispatch.start-delay: process start + delay, the same for every
   * reload, as upstream app/reloader.go passes startTime + dispatchStartDelay to Dispatcher.Run). Groups are
   * created and collect alerts meanwhile; a group whose group_wait is over by then flushes at that moment.
   */
  startAt?: number;
  /** spreads simultaneous group flushes over event-loop turns; default a new FlushSlices for this dispatcher */
  slices?: FlushSlices;
  /** HA replicas: see AggregationGroupOptions.keepResolvedFor */
  keepResolvedFor?: (groupKey: string, groupInterval: number) => number;
  /** HA replicas: a group was created (its lease is claimed before its first flush is due) */
  onNewGroup?: (groupKey: string) => void;
  /**
   * HA replicas: a group's first flush is due in `delay` ms, for the integrations `refs` of its receiver (their
   * notifications are claimed shortly before it is due, so that the flush needs no round trip for it)
   */
  onFirstFlush?: (groupKey: string, refs: readonly IntegrationRef[], delay: number) => void;
  /** the history recorder (src/history); omitted = nothing recorded */
  history?: HistorySink;
}

export class Dispatcher {
  readonly route: Route;
  readonly #o: DispatcherOptions;
  /** route -> group labels string -> group */
  readonly #groups = new Map<Route, Map<string, AggregationGroup>>();
  /**
   * route -> groupValuesKey -> the live group (the same groups as #groups, for routes not grouping by all
   * labels): an alert for a group that exists is placed without its group labels and their string form
   */
  readonly #byValues = new Map<Route, Map<string | undefined, AggregationGroup>>();
  #count = 0;
  #unsubscribe: (() => void) | undefined;
  #started = false;
  /** during startInSlices: the groups rebuilt so far, with their first alert, to schedule once all are in */
  #rebuilt: [AggregationGroup, Alert][] | undefined;
  readonly #gauge: Gauge | undefined;
  readonly #processing: SumCountSummary | undefined;
  /** this dispatcher's flush slices (not process-wide: dispatchers do not share a queue) */
  readonly #slices: FlushSlices;
  /** extra flushes asked for by group key (an escalation step due between two flushes) */
  readonly #wakes = new Map<string, { at: number; timer: TimerHandle }>();
  /**
   * fingerprint -> the groups its alert went to (one group, or several in routing order), until one of them
   * lets it go: a re-sent alert is not routed again while those groups live (the groups depend only on the
   * labels, which the fingerprint stands for everywhere, and on this dispatcher's route tree).
   */
  readonly #placed = new Map<string, AggregationGroup | AggregationGroup[]>();

  constructor(o: DispatcherOptions) {
    this.#o = o;
    this.#slices = o.slices ?? new FlushSlices();
    this.route = o.route;
    if (o.registry) {
      const registers = [o.registry];
      this.#gauge = getOrCreateMetric(
        o.registry,
        'alertmanager_dispatcher_aggregation_groups',
        () => new Gauge({ name: 'alertmanager_dispatcher_aggregation_groups', help: 'Number of active aggregation groups', registers }),
      );
      this.#processing = getOrCreateMetric(
        o.registry,
        'alertmanager_dispatcher_alert_processing_duration_seconds',
        // upstream: a Summary without objectives, i.e. _sum and _count only
        () => new SumCountSummary({ name: 'alertmanager_dispatcher_alert_processing_duration_seconds', help: 'Summary of latencies for the processing of alerts.', registers }),
      );
      getOrCreateMetric(
        o.registry,
        'alertmanager_dispatcher_aggregation_group_limit_reached_total',
        () => new Counter({ name: 'alertmanager_dispatcher_aggregation_group_limit_reached_total', help: 'Number of times when dispatcher failed to create new aggregation group due to limit.', registers }),
      );
    }
  }

  /** Rebuilds groups from the alert store, then follows new alerts. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    for (const a of this.#o.alerts.all()) this.#process(a, true);
    this.#unsubscribe = this.#o.alerts.subscribe((a) => this.#process(a, false));
  }

  /**
   * As start(), rebuilding the groups `sliceSize` alerts per event-loop turn (100k restored alerts routed at
   * once would hold the event loop for hundreds of ms). New alerts are followed from the beginning; the groups
   * rebuilt here are scheduled once all are in, so that none flushes half-rebuilt. Ends early if stopped.
   */
  async startInSlices(yieldTurn: () => Promise<void>, sliceSize = 5000): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    const unsubscribe = this.#o.alerts.subscribe((a) => this.#process(a, false));
    this.#unsubscribe = unsubscribe;
    const created: [AggregationGroup, Alert][] = [];
    this.#rebuilt = created;
    try {
      // all() is live: an alert put meanwhile is met in its newest version (after the subscription routed it: it
      // lands in the same groups again), a garbage-collected one not at all
      // the processing summary gets each slice's time and count (its _sum and _count as with one observation
      // per alert, without two clock reads per alert)
      let i = 0;
      let started = this.#processing ? performance.now() : 0;
      for (const a of this.#o.alerts.all()) {
        this.#place(a, true);
        if (++i % sliceSize === 0) {
          this.#processing?.observeMany((performance.now() - started) / 1000, sliceSize);
          await yieldTurn();
          if (this.#unsubscribe !== unsubscribe) return; // stopped meanwhile
          started = this.#processing ? performance.now() : 0;
        }
      }
      if (i % sliceSize !== 0) this.#processing?.observeMany((performance.now() - started) / 1000, i % sliceSize);
    } finally {
      this.#rebuilt = undefined;
    }
    for (const [g, first] of created) if (!g.destroyed) this.#scheduleFirst(g, first, true);
  }

  stop(): void {
    for (const w of this.#wakes.values()) w.timer.cancel();
    this.#wakes.clear();
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    for (const m of this.#groups.values()) for (const g of m.values()) g.stop();
    this.#gauge?.dec(this.#count);
    this.#groups.clear();
    this.#byValues.clear();
    this.#placed.clear();
    this.#count = 0;
  }

  get groupCount(): number {
    return this.#count;
  }

  /** Every live group. */
  *groups(): IterableIterator<AggregationGroup> {
    for (const m of this.#groups.values()) yield* m.values();
  }

  /** The live group with this key. */
  group(groupKey: string): AggregationGroup | undefined {
    for (const [r, m] of this.#groups) {
      if (groupKey.length > r.key.length && groupKey.startsWith(r.key) && groupKey[r.key.length] === ':') {
        const g = m.get(groupKey.slice(r.key.length + 1));
        if (g) return g;
      }
    }
    return undefined;
  }

  /** Flushes the group with this key at `at` besides its group_interval rhythm (an escalation step's time). */
  wakeAt(groupKey: string, at: number): void {
    const cur = this.#wakes.get(groupKey);
    if (cur && cur.at <= at) return;
    cur?.timer.cancel();
    const timer = this.#o.clock.setTimer(at - this.#o.clock.now(), () => {
      this.#wakes.delete(groupKey);
      this.group(groupKey)?.flushNow();
    });
    this.#wakes.set(groupKey, { at, timer });
  }

  /** Receivers of the routes an alert with these labels is routed to, in routing order (duplicates kept). */
  receiversFor(labels: LabelSet): string[] {
    return this.route.match(labels).map((r) => r.opts.receiver);
  }

  #process(a: Alert, rebuilding: boolean): void {
    const started = this.#processing ? performance.now() : 0;
    this.#place(a, rebuilding);
    this.#processing?.observe((performance.now() - started) / 1000);
  }

  /** Routes an alert into its groups (#process without the processing summary). */
  #place(a: Alert, rebuilding: boolean): void {
    // the groups a restart rebuilds (startInSlices) held these alerts before it: their grouping was recorded then
    // (100k stored alerts would add 100k events at every start); a reload (start()) may group them anew
    const record = !(rebuilding && this.#rebuilt);
    // rebuilding, the alert is routed without looking for groups it is placed in: it is placed only if put during
    // the rebuild, and routing it again finds the same groups (100k lookups that all miss at a restart)
    if (!record || !this.#insertPlaced(a, record)) {
      const placed: AggregationGroup[] = [];
      for (const r of this.route.match(a.labels)) {
        const byValues = r.opts.groupByAll ? undefined : this.#valuesIndex(r);
        const vk = byValues ? groupValuesKey(r.opts.groupBy, a.labels) : undefined;
        let g = byValues?.get(vk);
        if (g) g.insert(a, record);
        else {
          const gl = r.groupLabels(a.labels);
          const ls = labelSetString(gl);
          let m = this.#groups.get(r);
          if (!m) {
            m = new Map();
            this.#groups.set(r, m);
          }
          g = m.get(ls);
          if (!g) {
            g = this.#newGroup(r, gl, ls, m, byValues, vk);
            g.insert(a, record);
            if (rebuilding && this.#rebuilt) this.#rebuilt.push([g, a]);
            else this.#scheduleFirst(g, a, rebuilding);
          } else g.insert(a, record);
        }
        placed.push(g);
      }
      this.#placed.set(a.fingerprint, placed.length === 1 ? placed[0]! : placed);
    }
  }

  /** Inserts the alert into the groups an alert with its label set went to, if they all still live. */
  #insertPlaced(a: Alert, record: boolean): boolean {
    const placed = this.#placed.get(a.fingerprint);
    if (placed === undefined) return false;
    if (placed instanceof AggregationGroup) {
      if (placed.destroyed) return false;
      placed.insert(a, record);
      return true;
    }
    for (const g of placed) if (g.destroyed) return false;
    for (const g of placed) g.insert(a, record);
    return true;
  }

  #scheduleFirst(g: AggregationGroup, first: Alert, rebuilding: boolean): void {
    const delay = Math.max(this.#initialDelay(g, first, rebuilding), (this.#o.startAt ?? 0) - this.#o.clock.now());
    g.schedule(delay);
    this.#o.onFirstFlush?.(g.groupKey, this.#o.integrationRefs?.get(g.route.opts.receiver) ?? [], delay);
  }

  /** Route `r`'s groups by their groupValuesKey (see #byValues). */
  #valuesIndex(r: Route): Map<string | undefined, AggregationGroup> {
    let byValues = this.#byValues.get(r);
    if (!byValues) {
      byValues = new Map();
      this.#byValues.set(r, byValues);
    }
    return byValues;
  }

  /**
   * A new live group of route `r` (group labels `labels`, string `ls`), held in `m` and, unless the route groups by
   * all labels, in `byValues` under `vk`.
   */
  #newGroup(r: Route, labels: LabelSet, ls: string, m: Map<string, AggregationGroup>, byValues: Map<string | undefined, AggregationGroup> | undefined, vk: string | undefined): AggregationGroup {
    const g: AggregationGroup = new AggregationGroup({
      route: r,
      labels,
      stage: this.#o.stages.get(r.opts.receiver),
      clock: this.#o.clock,
      logger: this.#o.logger,
      slices: this.#slices,
      ...(this.#o.history ? { history: this.#o.history } : {}),
      onDestroy: (dead) => {
        if (m.get(ls) === dead) {
          m.delete(ls);
          if (byValues?.get(vk) === dead) byValues.delete(vk);
          this.#count--;
          this.#gauge?.dec();
        }
      },
      onRelease: (fps) => {
        for (const fp of fps) this.#placed.delete(fp);
        this.#o.alerts.released(fps);
      },
      ...(this.#o.keepResolvedFor ? { keepResolvedFor: this.#o.keepResolvedFor } : {}),
      ...(this.#o.onFlush ? { onFlush: this.#o.onFlush } : {}),
    });
    m.set(ls, g);
    byValues?.set(vk, g);
    this.#count++;
    this.#gauge?.inc();
    this.#o.onNewGroup?.(g.groupKey);
    return g;
  }

  #initialDelay(g: AggregationGroup, first: Alert, rebuilding: boolean): number {
    const now = this.#o.clock.now();
    const opts = g.route.opts;
    if (rebuilding && this.#o.nflog) {
      let last = -1;
      for (const ref of this.#o.integrationRefs?.get(opts.receiver) ?? []) {
        const e = this.#o.nflog.query(g.groupKey, ref);
        if (e && e.timestamp > last) last = e.timestamp;
      }
      if (last >= 0) return Math.max(0, last + opts.groupInterval - now);
    }
    // master: only the group's first alert may trigger an immediate flush
    if (first.startsAt + opts.groupWait < now) return 0;
    return opts.groupWait;
  }
}
