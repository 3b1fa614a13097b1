import type { Alert } from '../types/alert';

/**
 * The alert store (upstream provider.Alerts). Implemented by src/provider/mem-alerts.ts with SQLite
 * persistence (src/store). put() merges with stored alerts (upstream mergeAlerts rules) and is durable
 * once it returns (the API answers 200 after that).
 */
export interface AlertsProvider {
  /** Merge and store. Returns the stored (merged) alerts in input order. */
  put(alerts: readonly Alert[]): readonly Alert[];
  get(fingerprint: string): Alert | undefined;
  /**
   * every stored alert, resolved or not, until garbage-collected; live (a Map's iterator): an alert stored while
   * iterating is met in its newest version, one deleted before it is reached is not (the dispatcher's rebuild
   * relies on it)
   */
  all(): IterableIterator<Alert>;
  count(): number;
  /**
   * Listener receives each alert after it is stored (merged). Returns an unsubscribe function.
   * To see existing alerts too, iterate all() first.
   */
  subscribe(listener: (alert: Alert) => void): () => void;
  /**
   * Called with the fingerprints removed by GC (resolved and past retention), and again with those of them that
   * an aggregation group still held and has now let go of (see released()).
   */
  onDelete(listener: (fingerprints: readonly string[]) => void): () => void;
  /**
   * Aggregation groups hand back the alerts they dropped (after a successful flush, or when stopped). Those no
   * longer stored, garbage-collected while a group still held them for its last flush, are announced to the
   * onDelete listeners once more: that flush ran the mute stages again, which recorded the alert in the marker
   * and the silencer's cache after the GC had removed it (upstream #4402, fixed by #4438).
   */
  released(fingerprints: readonly string[]): void;
}
