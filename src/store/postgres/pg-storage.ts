/**
 * @module store/postgres/pg-storage
 * The PostgreSQL backend as one object: a pool from the URL, the schema migrated, the three stores of the
 * Storage interface, and the HA parts (group leases, flush claims, the silence change listener). The app
 * wires it with --tocsin.storage.url (src/app/ha; docs/ha-design.md).
 */
import type pg from 'pg';
import type { Storage } from '../storage';
import { PgAlertStore } from './alerts';
import { clientConfig, openPool, type PgConnectOptions } from './connect';
import { PgFlushClaims } from './flush-claims';
import { PgLeases } from './leases';
import { PgListener } from './listener';
import { type MigrateResult, migrate } from './migrate';
import { PgNflogStore } from './nflog';
import { PgReplicas } from './replicas';
import { decodeSilenceChange, PgSilenceStore, SILENCES_CHANNEL, type SilenceChange } from './silences';

/** server_version_num of PostgreSQL 13 (xid8, pg_current_xact_id) */
const MIN_SERVER_VERSION = 130000;

export interface PgStorageOptions extends PgConnectOptions {
  /** this replica's unique name (lease owner, claim owner, origin of silence notifications) */
  replica: string;
}

export class PgStorage implements Storage {
  readonly kind = 'postgres';
  readonly pool: pg.Pool;
  readonly alerts: PgAlertStore;
  readonly silences: PgSilenceStore;
  readonly nflog: PgNflogStore;
  readonly leases: PgLeases;
  readonly flushClaims: PgFlushClaims;
  readonly replicas: PgReplicas;
  readonly migration: MigrateResult;
  readonly #o: PgStorageOptions;

  private constructor(o: PgStorageOptions, pool: pg.Pool, migration: MigrateResult) {
    this.#o = o;
    this.pool = pool;
    this.migration = migration;
    this.alerts = new PgAlertStore(pool, o.replica);
    this.silences = new PgSilenceStore(pool, o.replica);
    this.nflog = new PgNflogStore(pool);
    this.leases = new PgLeases(pool, o.replica);
    this.flushClaims = new PgFlushClaims(pool, o.replica);
    this.replicas = new PgReplicas(pool, o.replica);
  }

  /** Connects and migrates the schema (rejects, with the pool closed, if either fails). */
  static async open(o: PgStorageOptions): Promise<PgStorage> {
    const pool = openPool(o);
    try {
      const { rows } = await pool.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
      const version = Number(rows[0]?.v);
      if (version < MIN_SERVER_VERSION) {
        throw new Error(`PostgreSQL ${Math.floor(version / 10000)} is too old: Tocsin needs PostgreSQL 13 or newer (xid8)`);
      }
      return new PgStorage(o, pool, await migrate(pool));
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
  }

  /**
   * Listens for silence changes made by OTHER replicas. onResync: the listener reconnected, changes may
   * have been missed: re-read all silences. Start it before loading the silences.
   */
  watchSilences(onChange: (c: SilenceChange) => void, onResync: () => void, o: { heartbeat?: number; reconnectMax?: number } = {}): PgListener {
    return new PgListener({
      client: clientConfig(this.#o),
      channel: SILENCES_CHANNEL,
      onNotify: (payload) => {
        const c = decodeSilenceChange(payload);
        if (c.from !== this.#o.replica) onChange(c);
      },
      onResync,
      ...(this.#o.logger ? { logger: this.#o.logger } : {}),
      ...o,
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
