/**
 * @module store/alert-merge
 * The merge of incoming alerts with stored ones (upstream provider/mem Put: merge when the activity ranges
 * overlap, else replace), as the storage backends apply it. The rule itself is src/provider/mem-alerts.ts
 * (overlaps, mergeAlerts); PostgreSQL evaluates the same rule in SQL (tocsin_merge_alert). And the lazy rule of
 * both backends: which merged alerts must be written over their stored rows (needsWrite).
 */
import { mergeAlerts, overlaps } from '../provider/mem-alerts';
import type { Alert } from '../types/alert';
import { sameLabelSet } from '../types/labels';

/** `incoming` merged onto `stored` (undefined: nothing stored, `incoming` as is). */
export function mergeStored(stored: Alert | undefined, incoming: Alert, now: number): Alert {
  return stored && overlaps(stored, incoming) ? mergeAlerts(stored, incoming, now) : incoming;
}

/** Merges repeated fingerprints of one batch in order (as MemAlerts.put does), keeping first-occurrence order. */
export function mergeWithinBatch(alerts: readonly Alert[], now: number): Alert[] {
  const byFp = new Map<string, Alert>();
  for (const a of alerts) byFp.set(a.fingerprint, mergeStored(byFp.get(a.fingerprint), a, now));
  return [...byFp.values()];
}

/**
 * Whether the merged alert `a` must be written over `stored`, its row as the writer knows it (the lazy rule of
 * PgAlertStore.sync and of the SQLite AlertStore: a firing alert that changes only updatedAt and extends endsAt
 * by less than half of its remaining lifetime is not rewritten), judged only while the known row is firing.
 * Same fingerprint = same labels. `storedEndsAt` is the row's endsAt when the writer tracks it apart (a row
 * left behind by earlier skips: memory's alert has moved on). On PostgreSQL, when the known row is stale
 * (another replica wrote since, not yet read from the change feed), skipping is as if this put had been stored
 * just before that write, which the feed brings into memory within a poll.
 */
export function needsWrite(a: Alert, stored: Alert | undefined, now: number, storedEndsAt: number = stored?.endsAt ?? 0): boolean {
  // a resolved row may be garbage-collected by another replica at any time: such a put goes to the store
  if (!stored || storedEndsAt <= now) return true;
  if (a.startsAt !== stored.startsAt || a.generatorURL !== stored.generatorURL || a.timeout !== stored.timeout) return true;
  if (a.endsAt !== storedEndsAt && !(storedEndsAt > now && a.endsAt > storedEndsAt && (storedEndsAt - now) * 2 >= a.endsAt - now)) return true;
  return !sameLabelSet(a.annotations, stored.annotations);
}
