import type pg from 'pg';
import { openPool } from './connect';
import { migrate } from './migrate';
import { MIGRATIONS } from './schema';
import { createTestDatabase, type TestDatabase } from './testing/database';

describe('migrate()', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(() => db.drop());

  const tables = async (pool: pg.Pool): Promise<string[]> =>
    (await pool.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).rows.map((r) => r.t);

  test('applies every migration once, then nothing', async () => {
    const pool = openPool({ url: db.url });
    try {
      expect(await migrate(pool)).toEqual({ applied: MIGRATIONS.map((_, i) => i + 1), version: MIGRATIONS.length, newer: false });
      expect(await tables(pool)).toEqual(['acks', 'alerts', 'escalations', 'flush_claims', 'group_leases', 'history', 'history_alerts', 'history_firing', 'history_hourly', 'nflog', 'nflog_intent', 'replicas', 'schema_migrations', 'silence_audit', 'silence_schedules', 'silences']);
      expect(await migrate(pool)).toEqual({ applied: [], version: MIGRATIONS.length, newer: false });
    } finally {
      await pool.end();
    }
  });

  test('3 replicas starting at once: one applies the schema, the others wait for it and apply nothing', async () => {
    const pools = [1, 2, 3].map(() => openPool({ url: db.url, max: 2 }));
    try {
      const results = await Promise.all(pools.map((p) => migrate(p)));
      const appliers = results.filter((r) => r.applied.length > 0);
      expect(appliers).toHaveLength(1);
      expect(appliers[0]!.applied).toEqual(MIGRATIONS.map((_, i) => i + 1));
      for (const r of results) expect(r.version).toBe(MIGRATIONS.length);
      const rows = (await pools[0]!.query('SELECT version FROM schema_migrations ORDER BY version')).rows;
      expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  test('a failing migration rolls the whole run back and names the migration', async () => {
    const pool = openPool({ url: db.url });
    try {
      const steps = [
        { name: 'one', sql: 'CREATE TABLE one (x int)' },
        { name: 'two', sql: 'CREATE TABLE two (x nosuchtype)' },
      ];
      await expect(migrate(pool, steps)).rejects.toThrow(/migration 2 \(two\) failed: type "nosuchtype" does not exist/);
      expect(await tables(pool)).toEqual([]);
      // the fixed list then applies from the start
      expect((await migrate(pool, [steps[0]!, { name: 'two', sql: 'CREATE TABLE two (x int)' }])).applied).toEqual([1, 2]);
    } finally {
      await pool.end();
    }
  });

  test('a database migrated by a newer release is reported, not rolled back', async () => {
    const pool = openPool({ url: db.url });
    try {
      await migrate(pool, [...MIGRATIONS, { name: 'future', sql: 'CREATE TABLE future (x int)' }]);
      expect(await migrate(pool)).toEqual({ applied: [], version: MIGRATIONS.length + 1, newer: true });
    } finally {
      await pool.end();
    }
  });
});
