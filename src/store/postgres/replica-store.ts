/**
 * @module store/postgres/replica-store
 * Base of the PostgreSQL stores that act on behalf of one replica (leases, flush claims, replica heartbeats,
 * silences' change notifications): the pool and this replica's unique name.
 */
import type pg from 'pg';

export abstract class ReplicaStore {
  constructor(
    protected readonly pool: pg.Pool,
    /** this replica's unique name (lease and claim owner, origin of notifications) */
    readonly replica: string,
  ) {}
}
