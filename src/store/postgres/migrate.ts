/**
 * @module store/postgres/migrate
 * Applies the pending schema migrations (src/store/postgres/schema.ts) at start, in ONE transaction under a
 * transaction-scoped advisory lock: replicas that start together queue on the lock, the first applies
 * everything, the others then find nothing to do. A failure rolls the whole run back (PostgreSQL DDL is
 * transactional), so the schema is never half-migrated.
 */
import type pg from 'pg';
import { MIGRATIONS, type Migration } from './schema';

/** pg_advisory_xact_lock key: the bytes of "tocsin" */
export const MIGRATION_LOCK_KEY = 0x746f6373696e;

export interface MigrateResult {
  /** versions applied by this call */
  applied: number[];
  /** the schema version after the call */
  version: number;
  /**
   * true when the database is at a newer version than this binary knows (a newer replica migrated it during
   * a rolling upgrade); migrations are backward compatible, so this replica runs on.
   */
  newer: boolean;
}

export async function migrate(pool: pg.Pool, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrateResult> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      await client.query(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           version integer PRIMARY KEY,
           name text NOT NULL,
           applied_at timestamptz NOT NULL DEFAULT now()
         )`,
      );
      const { rows } = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
      const current = rows[0]?.v ?? 0;
      const applied: number[] = [];
      for (let v = current + 1; v <= migrations.length; v++) {
        const m = migrations[v - 1]!;
        try {
          await client.query(m.sql);
        } catch (err) {
          throw new Error(`PostgreSQL schema migration ${v} (${m.name}) failed: ${(err as Error).message}`, { cause: err });
        }
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [v, m.name]);
        applied.push(v);
      }
      await client.query('COMMIT');
      return { applied, version: Math.max(current, migrations.length), newer: current > migrations.length };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  } finally {
    client.release();
  }
}
