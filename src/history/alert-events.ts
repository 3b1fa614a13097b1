/**
 * @module history/alert-events
 * The alert lifecycle events: what the alert store records on every put (first seen, changed, resolved by
 * its client) and what an aggregation group records (grouped into it; resolved by resolve_timeout when it
 * drops the alert). An unchanged re-send (Prometheus repeats firing alerts every evaluation) records nothing.
 */
import { type Alert, isResolved, type LabelSet } from '../types/alert';
import { sameLabelSet } from '../types/labels';
import type { HistorySink } from './sink';

// the real microtask queue, also under test fake timers: a run ends when its synchronous work does
const endOfRun: (fn: () => void) => void = queueMicrotask;

/** per sink: fingerprint -> the time of its alert_created recorded in the current run of the event loop */
const createdThisRun = new WeakMap<HistorySink, Map<string, number>>();

function noteCreated(sink: HistorySink, fingerprint: string, time: number): void {
  let m = createdThisRun.get(sink);
  if (!m) {
    m = new Map();
    createdThisRun.set(sink, m);
  }
  if (m.size === 0) {
    const run = m;
    endOfRun(() => run.clear());
  }
  m.set(fingerprint, time);
}

/** Records what changed from `old` (the stored alert, if any) to `next` (the stored result) at `now`. */
export function recordAlertPut(sink: HistorySink, old: Alert | undefined, next: Alert, now: number): void {
  const firing = !isResolved(next, now);
  if (!old || (isResolved(old, now) && firing)) {
    if (firing) {
      sink.record({ time: now, kind: 'alert_created', fingerprint: next.fingerprint, labels: next.labels, data: { startsAt: next.startsAt }, live: { alert: next } });
      noteCreated(sink, next.fingerprint, now);
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
 * them in one row (src/store/history.ts).
 */
export function recordAlertGrouped(sink: HistorySink, a: Alert, groupKey: string, receiver: string, now: number, groupLabels?: LabelSet): void {
  const created = createdThisRun.get(sink)?.get(a.fingerprint);
  // one literal per shape (a spread would build the object key by key on every new alert of a storm)
  const live = groupLabels ? { alert: a, groupLabels } : { alert: a };
  sink.record({ time: created !== undefined && created <= now ? created : now, kind: 'alert_grouped', fingerprint: a.fingerprint, labels: a.labels, groupKey, receiver, live });
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
