/**
 * @module store/postgres/flush-claims
 * Exactly one replica sends a given notification. The pipeline's dedup stage decides from an nflog entry
 * (and its version) whether an integration needs a notification; with several replicas that decision is
 * made safe in two atomic steps, one round trip each:
 *
 * 1. claim(): BEFORE sending. Succeeds only if (a) the replica holds the group's lease with the given epoch
 *    (unexpired), (b) no other replica holds an unexpired claim on the key, and (c) the stored entry's
 *    version is still the one the decision was based on. Otherwise it says why ('lease', 'busy', 'stale':
 *    reload the entry and decide again). The claim lasts ttl ms (the flush deadline).
 * 2. commit(): AFTER a successful send. Writes the nflog entry (bumping its version) only if this replica
 *    still holds the claim, and releases the claim, in one statement; false = another replica took the claim
 *    over after ours expired, and will decide for itself (it sees a version it did not expect only if we
 *    committed first).
 *
 * So two live replicas never both send or both log the same notification; only a replica that dies (or is
 * cut off for longer than ttl) between sending and commit() can cause one duplicate, by the replica that
 * takes over after the claim expired. A send that fails leaves the claim to expire or be re-claimed by the
 * same replica for its retry (release() gives it up at once).
 */
import { ReplicaStore } from './replica-store';
import type { NflogEntry } from '../storage';
import { NFLOG_COLUMNS, NFLOG_UPSERT, UNNEST_NFLOG, nflogArrays } from './nflog';

export type ClaimOutcome = 'won' | 'lease' | 'busy' | 'stale';

export interface ClaimResult {
  outcome: ClaimOutcome;
  /** the stored entry's version (0 = none), when the claim got that far */
  version: number | null;
}

export interface ClaimRequest {
  /** the nflog entry key (src/nflog/nflog.ts entryKey) */
  key: string;
  groupKey: string;
  /** the lease epoch the replica holds for groupKey; null: no lease check (a single owner by other means) */
  epoch: number | null;
  /** the version of the nflog entry the decision used (0 = there was no entry) */
  expectedVersion: number;
  /** how long the claim lasts, ms */
  ttl: number;
}

export class PgFlushClaims extends ReplicaStore {

  /** Step 1; `version` is the stored entry's version (the current one when 'stale'). */
  async claim(c: ClaimRequest): Promise<ClaimResult> {
    const [r] = await this.claimMany([c], c.ttl);
    return { outcome: r!.outcome, version: r!.version };
  }

  /**
   * Step 1 for many keys in one round trip (e.g. every integration of the flushes due in one event-loop
   * turn); each key is decided on its own. Results in the order of `claims`.
   */
  async claimMany(claims: readonly Omit<ClaimRequest, 'ttl'>[], ttl: number): Promise<(ClaimResult & { key: string })[]> {
    if (claims.length === 0) return [];
    // one request per key (the last), in key order: concurrent batches lock rows in the same order
    const sorted = [...new Map(claims.map((c) => [c.key, c])).values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const { rows } = await this.pool.query<ClaimResult & { key: string }>(
      'SELECT key, outcome, version FROM tocsin_claim_flush_batch($1::text[], $2::text[], $3, $4::bigint[], $5::bigint[], $6)',
      [sorted.map((c) => c.key), sorted.map((c) => c.groupKey), this.replica, sorted.map((c) => c.epoch), sorted.map((c) => c.expectedVersion), ttl],
    );
    const byKey = new Map(rows.map((r) => [r.key, r]));
    return claims.map((c) => byKey.get(c.key)!);
  }

  /**
   * Step 2: logs the entry under our claim and releases it. Resolves to the entry's new version, or
   * undefined when the claim is no longer ours (nothing written).
   */
  async commit(key: string, entry: NflogEntry): Promise<number | undefined> {
    return (await this.commitMany([[key, entry]])).get(key);
  }

  /** Step 2 for many keys in one round trip: the new versions of the keys whose claim was still ours. */
  async commitMany(entries: readonly (readonly [string, NflogEntry])[]): Promise<Map<string, number>> {
    if (entries.length === 0) return new Map();
    const sorted = [...new Map(entries)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const { rows } = await this.pool.query<{ key: string; version: number }>(
      `WITH c AS (
         UPDATE flush_claims SET owner = NULL, claimed_until = 0 WHERE key = ANY($1::text[]) AND owner = $11 RETURNING key)
       INSERT INTO nflog (${NFLOG_COLUMNS}) SELECT n.* FROM ${UNNEST_NFLOG} JOIN c ON c.key = n.key
       ${NFLOG_UPSERT}
       RETURNING key, version`,
      [...nflogArrays(sorted), this.replica],
    );
    return new Map(rows.map((r) => [r.key, r.version]));
  }

  /**
   * Deletes the rows of free claims, and of claims expired for more than `grace` ms (their owner died or
   * gave up); resolves to how many. Safe at any time: a claim decides on the nflog entry's version, so a
   * key without a row is claimed afresh.
   */
  async gc(grace: number): Promise<number> {
    const r = await this.pool.query('DELETE FROM flush_claims WHERE owner IS NULL OR claimed_until <= tocsin_now_ms() - $1::bigint', [grace]);
    return r.rowCount ?? 0;
  }

  /** Gives up our claim without logging (the send failed for good, or the group went away). */
  async release(key: string): Promise<boolean> {
    const r = await this.pool.query('UPDATE flush_claims SET owner = NULL, claimed_until = 0 WHERE key = $1 AND owner = $2', [key, this.replica]);
    return (r.rowCount ?? 0) > 0;
  }
}
