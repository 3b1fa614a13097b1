/**
 * @module inhibit/inhibitor
 * The Inhibitor: a Muter (structurally; see src/pipeline/types.ts) fed by the alert store's subscription.
 * Rules are checked in order; the first that inhibits wins and its source fingerprint is recorded as
 * inhibitedBy in the AlertMarker.
 */
import type { HistorySink } from '../history/sink';
import { muteChanged, recordInhibitionMute } from '../history/mute-events';
import { Gauge, type Registry } from 'prom-client';
import type { AlertsProvider } from '../provider/types';
import type { LabelSet } from '../types/alert';
import type { Clock, TimerHandle } from '../types/clock';
import type { AlertMarker } from '../types/marker';
import { getOrCreateMetric } from '../types/metrics';
import { InhibitRule, type InhibitRuleSpec } from './rule';

export interface InhibitorOptions {
  rules: readonly (InhibitRuleSpec | null | undefined)[];
  alerts: AlertsProvider;
  marker?: AlertMarker;
  clock: Clock;
  registry?: Registry;
  /** the history recorder (src/history): inhibition_muted_alert / alert_unmuted when an alert's inhibitor changes */
  history?: HistorySink;
  /** resolved-source GC period, default 15m */
  gcInterval?: number;
}

export class Inhibitor {
  readonly rules: readonly InhibitRule[];
  readonly #o: InhibitorOptions;
  #unsub: (() => void)[] = [];
  #gc: TimerHandle | undefined;

  constructor(o: InhibitorOptions) {
    this.#o = o;
    this.rules = o.rules.filter((r): r is InhibitRuleSpec => !!r).map((r) => new InhibitRule(r));
    if (o.registry) {
      const reg = o.registry;
      const g = getOrCreateMetric(
        reg,
        'alertmanager_inhibition_rules',
        () => new Gauge({ name: 'alertmanager_inhibition_rules', help: 'Number of configured inhibition rules.', registers: [reg] }),
      );
      g.set(this.rules.length);
    }
  }

  start(): void {
    if (this.rules.length === 0) return;
    for (const a of this.#o.alerts.all()) for (const r of this.rules) r.observe(a);
    this.#unsub.push(
      this.#o.alerts.subscribe((a) => {
        for (const r of this.rules) r.observe(a);
      }),
      this.#o.alerts.onDelete((fps) => {
        for (const fp of fps) for (const r of this.rules) r.forget(fp);
      }),
    );
    const every = this.#o.gcInterval ?? 15 * 60_000;
    const gc = () => {
      const now = this.#o.clock.now();
      for (const r of this.rules) r.gc(now);
      this.#gc = this.#o.clock.setTimer(every, gc);
    };
    this.#gc = this.#o.clock.setTimer(every, gc);
  }

  stop(): void {
    for (const u of this.#unsub) u();
    this.#unsub = [];
    this.#gc?.cancel();
  }

  /** The fingerprint of one alert inhibiting `labels` now, or undefined. Does not touch the marker. */
  inhibitedBy(labels: LabelSet): string | undefined {
    const now = this.#o.clock.now();
    for (const r of this.rules) {
      const src = r.inhibitingSource(labels, now);
      if (src !== undefined) return src;
    }
    return undefined;
  }

  /** Muter: true if inhibited; records inhibitedBy in the marker either way. */
  mutes(labels: LabelSet, fingerprint: string): boolean {
    const src = this.inhibitedBy(labels);
    if (this.#o.history && this.#o.marker) this.#recordChange(fingerprint, labels, src);
    this.#o.marker?.setInhibited(fingerprint, src === undefined ? [] : [src]);
    return src !== undefined;
  }

  #recordChange(fp: string, labels: LabelSet, src: string | undefined): void {
    const before = this.#o.marker!.status(fp).inhibitedBy;
    if (!muteChanged(before, src === undefined ? [] : [src])) return;
    const now = this.#o.clock.now();
    const rule = src === undefined ? undefined : this.rules.find((r) => r.inhibitingSource(labels, now) === src);
    recordInhibitionMute(this.#o.history!, fp, labels, before, src, rule?.name, now, rule);
  }
}
