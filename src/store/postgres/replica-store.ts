/**
 * @module store/postgres/replica-store
 * Bases of the PostgreSQL stores: PoolStore holds the pool; ReplicaStore, for the stores that act on behalf
 * of one replica (leases, flush claims, replica heartbeats, silences' change notifications), also this
 * replica's unique name.
 */
import type pg from 'pg';

export abstract class PoolStore {
  constructor(protected readonly pool: pg.Pool) {}
}

export abstract class ReplicaStore extends PoolStore {
  constructor(
    pool: pg.Pool,
    /** this replica's unique name (lease and claim owner, origin of notifications) */
    readonly replica: string,
  ) {
    super(pool);
  }
}
