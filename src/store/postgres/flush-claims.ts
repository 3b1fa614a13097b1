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
import type pg from 'pg';
import type { NflogEntry } from '../storage';
import { NFLOG_COLUMNS, NFLOG_UPSERT, UNNEST_NFLOG, nflogArrays } from './nflog';

export type ClaimOutcome = 'won' | 'lease' | 'busy' | 'stale';

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

export class PgFlushClaims {
  readonly #pool: pg.Pool;
  readonly replica: string;

  constructor(pool: pg.Pool, replica: string) {
    this.#pool = pool;
    this.replica = replica;
  }

  /** Step 1; `version` is the stored entry's version (the current one when 'stale'). */
  async claim(c: ClaimRequest): Promise<{ outcome: ClaimOutcome; version: number | null }> {
    const { rows } = await this.#pool.query<{ outcome: ClaimOutcome; version: number | null }>(
      'SELECT outcome, version FROM tocsin_claim_flush($1, $2, $3, $4, $5, $6)',
      [c.key, c.groupKey, this.replica, c.epoch, c.expectedVersion, c.ttl],
    );
    const r = rows[0]!;
    return { outcome: r.outcome, version: r.version };
  }

  /**
   * Step 2: logs the entry under our claim and releases it. Resolves to the entry's new version, or
   * undefined when the claim is no longer ours (nothing written).
   */
  async commit(key: string, entry: NflogEntry): Promise<number | undefined> {
    const { rows } = await this.#pool.query<{ version: number }>(
      `WITH c AS (
         UPDATE flush_claims SET owner = NULL, claimed_until = 0 WHERE key = ($1::text[])[1] AND owner = $11 RETURNING key)
       INSERT INTO nflog (${NFLOG_COLUMNS}) SELECT n.* FROM ${UNNEST_NFLOG} JOIN c ON c.key = n.key
       ${NFLOG_UPSERT}
       RETURNING version`,
      [...nflogArrays([[key, entry]]), this.replica],
    );
    return rows[0]?.version;
  }

  /** Gives up our claim without logging (the send failed for good, or the group went away). */
  async release(key: string): Promise<boolean> {
    const r = await this.#pool.query('UPDATE flush_claims SET owner = NULL, claimed_until = 0 WHERE key = $1 AND owner = $2', [key, this.replica]);
    return (r.rowCount ?? 0) > 0;
  }
}
