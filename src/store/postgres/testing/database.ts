/**
 * @module store/postgres/testing/database
 * Test databases on the machine's PostgreSQL (127.0.0.1:5432, user postgres, trust auth; override with
 * TOCSIN_TEST_PG_URL pointing at any database of the server): each test file creates its own randomly
 * named database and drops it afterwards.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PgStorage } from '../pg-storage';

const ADMIN_URL = process.env.TOCSIN_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  /** postgres:// URL of the new database */
  url: string;
  name: string;
  /** drops the database (terminating what is still connected) */
  drop(): Promise<void>;
}

export async function createTestDatabase(prefix = 'tocsin_test'): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    name,
    drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** `n` replicas' PostgreSQL backends on one database (named r1..rn), migrated concurrently. */
export async function openReplicas(url: string, n: number, max = 5): Promise<PgStorage[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => PgStorage.open({ url, replica: `r${i + 1}`, max })));
}

/**
 * For a describe block: a fresh database with `n` replicas on it (filled into the returned array before the
 * first test, closed and dropped after the last); `truncate` names tables emptied before each test.
 */
export function useReplicas(n: number, truncate?: string): PgStorage[] {
  const replicas: PgStorage[] = [];
  let db: TestDatabase | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
    replicas.push(...(await openReplicas(db.url, n)));
  });
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.close()));
    await db?.drop();
  });
  if (truncate) beforeEach(() => replicas[0]!.pool.query(`TRUNCATE ${truncate}`));
  return replicas;
}
