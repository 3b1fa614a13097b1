/**
 * @module store/postgres/replicas
 * The replicas that share one database, for cluster visibility (`/api/v2/status` peers,
 * alertmanager_cluster_members) and for spreading group leases over the live replicas: each replica
 * upserts its row on a heartbeat; a replica whose last heartbeat is older than the liveness window is
 * considered dead. Times use the database clock.
 */
import { ReplicaStore } from './replica-store';

export interface Replica {
  name: string;
  /** host:port where its API listens */
  address: string;
  startedAt: number;
  lastSeen: number;
}

interface Row {
  name: string;
  address: string;
  started_at: number;
  last_seen: number;
}

export class PgReplicas extends ReplicaStore {

  /** Registers this replica (or refreshes it): one statement, call it every heartbeat. */
  async heartbeat(address: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO replicas (name, address, started_at, last_seen) VALUES ($1, $2, tocsin_now_ms(), tocsin_now_ms())
       ON CONFLICT (name) DO UPDATE SET address = excluded.address, last_seen = excluded.last_seen`,
      [this.replica, address],
    );
  }

  /** The replicas seen within the last `window` ms (this one included once it has sent a heartbeat), by name. */
  async live(window: number): Promise<Replica[]> {
    const { rows } = await this.pool.query<Row>(
      'SELECT name, address, started_at, last_seen FROM replicas WHERE last_seen > tocsin_now_ms() - $1::bigint ORDER BY name',
      [window],
    );
    return rows.map((r) => ({ name: r.name, address: r.address, startedAt: r.started_at, lastSeen: r.last_seen }));
  }

  /** Graceful shutdown: leaves the cluster at once. */
  async leave(): Promise<void> {
    await this.pool.query('DELETE FROM replicas WHERE name = $1', [this.replica]);
  }
}
