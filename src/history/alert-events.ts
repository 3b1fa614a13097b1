/**
 * @module history/alert-events
 * The alert lifecycle events: what the alert store records on every put (first seen, changed, resolved by
 * its client) and what an aggregation group records (grouped into it; resolved by resolve_timeout when it
 * drops the alert). An unchanged re-send (Prometheus repeats firing alerts every evaluation) records nothing.
 */
import { type Alert, isResolved, type LabelSet } from '../types/alert';
import { sameLabelSet } from '../types/labels';
import type { EventData, HistoryEvent, LiveFacts } from './event';
import type { HistorySink } from './sink';

// the real microtask queue, also under test fake timers: a run ends when its synchronous work does
const endOfRun: (fn: () => void) => void = queueMicrotask;

/**
 * A new alert's alert_created event, carrying the alert_grouped of its first group when the dispatcher groups it
 * in the same run of the event loop (the usual case: a POST's alerts are grouped right after they are stored).
 * An alert storm holds 100k of these until its history is written (src/history/batch-writer.ts), so it is one
 * object: `data` and `live` are built when read, and the alert_grouped event by expandEvents(), which the batch
 * writer applies before the storage and the live subscribers see a batch.
 */
export class AlertCreated implements HistoryEvent {
  readonly kind = 'alert_created' as const;
  readonly time: number;
  readonly fingerprint: string;
  readonly labels: LabelSet;
  readonly #alert: Alert;
  #groupKey: string | undefined;
  #receiver: string | undefined;
  #groupLabels: LabelSet | undefined;

  constructor(alert: Alert, time: number) {
    this.time = time;
    this.fingerprint = alert.fingerprint;
    this.labels = alert.labels;
    this.#alert = alert;
  }

  get data(): EventData {
    return { startsAt: this.#alert.startsAt };
  }

  get live(): LiveFacts {
    return { alert: this.#alert };
  }

  /** takes the alert's first grouping (false: it has one) */
  pair(groupKey: string, receiver: string, groupLabels: LabelSet | undefined): boolean {
    if (this.#groupKey !== undefined) return false;
    this.#groupKey = groupKey;
    this.#receiver = receiver;
    this.#groupLabels = groupLabels;
    return true;
  }

  /** the alert_grouped event it carries, if any: at the time the alert was created */
  grouped(): HistoryEvent | undefined {
    if (this.#groupKey === undefined) return undefined;
    const a = this.#alert;
    const live = this.#groupLabels ? { alert: a, groupLabels: this.#groupLabels } : { alert: a };
    return { time: this.time, kind: 'alert_grouped', fingerprint: a.fingerprint, labels: a.labels, groupKey: this.#groupKey, receiver: this.#receiver!, live };
  }
}

/** The events with the alert_grouped events that AlertCreated events carry, each right after its alert_created. */
export function expandEvents(events: readonly HistoryEvent[]): readonly HistoryEvent[] {
  let out: HistoryEvent[] | undefined;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const g = e instanceof AlertCreated ? e.grouped() : undefined;
    if (g === undefined) {
      out?.push(e);
      continue;
    }
    out ??= events.slice(0, i);
    out.push(e, g);
  }
  return out ?? events;
}

/** per sink: fingerprint -> its alert_created recorded in the current run of the event loop */
const createdThisRun = new WeakMap<HistorySink, Map<string, AlertCreated>>();

function noteCreated(sink: HistorySink, e: AlertCreated): void {
  let m = createdThisRun.get(sink);
  if (!m) {
    m = new Map();
    createdThisRun.set(sink, m);
  }
  if (m.size === 0) {
    const run = m;
    endOfRun(() => run.clear());
  }
  m.set(e.fingerprint, e);
}

/** Records what changed from `old` (the stored alert, if any) to `next` (the stored result) at `now`. */
export function recordAlertPut(sink: HistorySink, old: Alert | undefined, next: Alert, now: number): void {
  const firing = !isResolved(next, now);
  if (!old || (isResolved(old, now) && firing)) {
    if (firing) {
      const e = new AlertCreated(next, now);
      sink.record(e);
      noteCreated(sink, e);
    }
    return;
  }
  if (!firing) {
    if (!isResolved(old, now)) sink.record({ time: now, kind: 'alert_resolved', fingerprint: next.fingerprint, labels: next.labels, data: { by: 'endsAt', endsAt: next.endsAt }, live: { alert: next } });
    return;
  }
  // annotations only: Prometheus re-sends a firing alert every evaluation with a later endsAt, which is no news
  if (!sameLabelSet(old.annotations, next.annotations)) {
    sink.record({ time: now, kind: 'alert_changed', fingerprint: next.fingerprint, labels: next.labels, data: { annotations: next.annotations } });
  }
}

/**
 * An alert joined a group. Grouped in the same run of the event loop as it was first seen (the dispatcher groups a
 * POST's alerts right after storing them), it joined at the time it was created: a new alert's two events carry
 * one time (the millisecond or two between them is the ingest's own work), which lets the SQLite history keep
 * them in one row (src/store/history.ts). Its first such grouping rides on its alert_created event (AlertCreated),
 * so an alert storm records one object per new alert.
 */
export function recordAlertGrouped(sink: HistorySink, a: Alert, groupKey: string, receiver: string, now: number, groupLabels?: LabelSet): void {
  const created = createdThisRun.get(sink)?.get(a.fingerprint);
  const createdNow = created !== undefined && created.time <= now;
  if (createdNow && created.pair(groupKey, receiver, groupLabels)) return;
  // one literal per shape (a spread would build the object key by key)
  const live = groupLabels ? { alert: a, groupLabels } : { alert: a };
  sink.record({ time: createdNow ? created.time : now, kind: 'alert_grouped', fingerprint: a.fingerprint, labels: a.labels, groupKey, receiver, live });
}

/**
 * A group dropped a resolved alert after notifying it. Recorded when no put recorded the resolution: resolve_timeout
 * resolved it (no endsAt was sent), or its endsAt passed without a resolving re-send (its last update came before
 * endsAt; a client that resolves an alert sends endsAt at or before the time it is received). Without this, an
 * alert that simply expired would stay "firing" in the history (and in the chart's open intervals) for ever.
 */
export function recordGroupResolved(sink: HistorySink, a: Alert, groupKey: string, receiver: string, now: number, groupLabels?: LabelSet): void {
  const by = a.timeout ? 'resolve_timeout' : a.updatedAt < a.endsAt ? 'endsAt' : undefined;
  if (by === undefined) return;
  sink.record({
    time: by === 'endsAt' ? Math.min(a.endsAt, now) : now,
    kind: 'alert_resolved',
    fingerprint: a.fingerprint,
    labels: a.labels,
    groupKey,
    receiver,
    data: { by, endsAt: a.endsAt },
    live: { alert: a, ...(groupLabels ? { groupLabels } : {}) },
  });
}
