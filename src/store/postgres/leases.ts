/**
 * @module store/postgres/leases
 * Group ownership by leases: each aggregation group key is owned by one replica until expires_at (the
 * database clock), renewed by heartbeat. Every operation is one SQL statement, atomic per row: when
 * several replicas claim the same key at once, PostgreSQL serialises them on the row and exactly one gets
 * it; a lease that expired (its owner died or was cut off) goes to the next claimant, and the lease's
 * epoch grows by one on each change of owner (a fencing token: src/store/postgres/flush-claims.ts checks it).
 */
import { ReplicaStore } from './replica-store';

export interface Lease {
  groupKey: string;
  owner: string;
  epoch: number;
  /** epoch ms, database clock */
  expiresAt: number;
}

interface Row {
  group_key: string;
  owner: string;
  epoch: number;
  expires_at: number;
}

const toLease = (r: Row): Lease => ({ groupKey: r.group_key, owner: r.owner, epoch: r.epoch, expiresAt: r.expires_at });

export class PgLeases extends ReplicaStore {
  /**
   * Claims the given group keys for ttl ms: a key is taken if it is free, expired, or already ours
   * (renewed). Resolves to the leases this replica holds among them afterwards; the others are held,
   * unexpired, by other replicas.
   *
   * `limit` caps how many keys NOT already ours it takes (renewals do not count), so that replicas share
   * the groups (e.g. limit = ceil(groups / live replicas) - held). Which free keys a replica prefers is a
   * hash of key and replica name (rendezvous hashing): replicas claiming at once mostly want different keys.
   */
  async claim(groupKeys: readonly string[], ttl: number, limit?: number): Promise<Lease[]> {
    if (groupKeys.length === 0 || (limit !== undefined && limit < 0)) return [];
    const { rows } = await this.pool.query<Row>(
      `WITH cand AS (
         SELECT k, g.owner = $2 AS mine FROM unnest($1::text[]) AS k LEFT JOIN group_leases g ON g.group_key = k
         WHERE g.group_key IS NULL OR g.owner = $2 OR g.expires_at <= tocsin_now_ms()),
       pick AS (
         SELECT k FROM cand WHERE mine
         UNION ALL
         (SELECT k FROM cand WHERE mine IS NOT TRUE ORDER BY md5(k || $2) LIMIT $4))
       INSERT INTO group_leases AS l (group_key, owner, epoch, expires_at)
       SELECT k, $2, 1, tocsin_now_ms() + $3::bigint FROM pick ORDER BY k
       ON CONFLICT (group_key) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at,
         epoch = CASE WHEN l.owner = excluded.owner THEN l.epoch ELSE l.epoch + 1 END
       WHERE l.owner = excluded.owner OR l.expires_at <= tocsin_now_ms()
       RETURNING group_key, owner, epoch, expires_at`,
      [[...new Set(groupKeys)], this.replica, ttl, limit ?? null],
    );
    return rows.map(toLease);
  }

  /**
   * Heartbeat: extends every lease this replica still owns (one statement for all of them, expired ones
   * included as long as no other replica took them). Resolves to the leases held now: a group missing here
   * was taken over and must no longer be flushed by this replica.
   */
  async renewAll(ttl: number): Promise<Lease[]> {
    const { rows } = await this.pool.query<Row>(
      // rows locked in key order, as flush claims share-lock them (no deadlock with a claim in flight)
      `UPDATE group_leases g SET expires_at = tocsin_now_ms() + $2::bigint
       FROM (SELECT group_key FROM group_leases WHERE owner = $1 ORDER BY group_key FOR UPDATE) AS o
       WHERE g.group_key = o.group_key AND g.owner = $1
       RETURNING g.group_key, g.owner, g.epoch, g.expires_at`,
      [this.replica, ttl],
    );
    return rows.map(toLease);
  }

  /** Gives up these groups (e.g. the group was destroyed, or on shutdown: release(all held)). */
  async release(groupKeys: readonly string[]): Promise<number> {
    if (groupKeys.length === 0) return 0;
    const r = await this.pool.query('DELETE FROM group_leases WHERE owner = $1 AND group_key = ANY($2::text[])', [this.replica, groupKeys]);
    return r.rowCount ?? 0;
  }

  /** Gives up every group of this replica (graceful shutdown: the others take over at once). */
  async releaseAll(): Promise<number> {
    const r = await this.pool.query('DELETE FROM group_leases WHERE owner = $1', [this.replica]);
    return r.rowCount ?? 0;
  }

  /** The current leases of these keys (any owner, expired or not). */
  async get(groupKeys: readonly string[]): Promise<Lease[]> {
    const { rows } = await this.pool.query<Row>(
      'SELECT group_key, owner, epoch, expires_at FROM group_leases WHERE group_key = ANY($1::text[])',
      [groupKeys],
    );
    return rows.map(toLease);
  }

  /** Deletes leases expired for more than `grace` ms (their groups are gone or unowned); resolves to how many. */
  async gc(grace: number): Promise<number> {
    const r = await this.pool.query('DELETE FROM group_leases WHERE expires_at <= tocsin_now_ms() - $1::bigint', [grace]);
    return r.rowCount ?? 0;
  }

  /** Unexpired leases per owner (cluster visibility: the live replicas and how many groups each flushes). */
  async owners(): Promise<Map<string, number>> {
    const { rows } = await this.pool.query<{ owner: string; n: number }>(
      'SELECT owner, count(*)::bigint AS n FROM group_leases WHERE expires_at > tocsin_now_ms() GROUP BY owner',
    );
    return new Map(rows.map((r) => [r.owner, r.n]));
  }
}
