/**
 * @module store/alert-merge
 * The merge of incoming alerts with stored ones (upstream provider/mem Put: merge when the activity ranges
 * overlap, else replace), as the storage backends apply it. The rule itself is src/provider/mem-alerts.ts
 * (overlaps, mergeAlerts); PostgreSQL evaluates the same rule in SQL (tocsin_merge_alert).
 */
import { mergeAlerts, overlaps } from '../provider/mem-alerts';
import type { Alert } from '../types/alert';

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
