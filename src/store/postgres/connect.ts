/**
 * @module store/postgres/connect
 * A node-postgres pool from a URL (postgres://user[:password]@host:port/db[?sslmode=...]), with what every
 * PostgreSQL store of Tocsin relies on: bigint columns (epoch ms, versions) read as JS numbers, a name in
 * pg_stat_activity, and an 'error' handler so a dropped idle connection never crashes the process (the
 * pool replaces it; queries fail until the database is back, and the caller decides what fails open).
 */
import pg from 'pg';
import type { Logger } from '../../types/logger';

/** int8 (bigint) as a JS number: Tocsin stores epoch ms and counters, all far below 2^53. */
const INT8_OID = 20;
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

export interface PgConnectOptions {
  /** postgres://user@host:port/db */
  url: string;
  logger?: Logger;
  /** pool size (default 10) */
  max?: number;
  /** application_name in pg_stat_activity (default 'tocsin') */
  applicationName?: string;
  /** ms to wait for a connection before a query fails (default 5000) */
  connectTimeout?: number;
  /** ms after which a statement fails (default 30000) */
  queryTimeout?: number;
}

/** The connection settings for one client or pool (also used for the dedicated LISTEN connection). */
export function clientConfig(o: PgConnectOptions): pg.ClientConfig {
  checkUrl(o.url);
  return {
    connectionString: o.url,
    application_name: o.applicationName ?? 'tocsin',
    connectionTimeoutMillis: o.connectTimeout ?? 5000,
    query_timeout: o.queryTimeout ?? 30_000,
    keepAlive: true,
    types,
  };
}

export function openPool(o: PgConnectOptions): pg.Pool {
  const pool = new pg.Pool({ ...clientConfig(o), max: o.max ?? 10, idleTimeoutMillis: 30_000 });
  pool.on('error', (err) => {
    o.logger?.warn({ err: err.message, url: redactPgUrl(o.url) }, 'PostgreSQL connection lost');
  });
  return pool;
}

/** Rejects what is not a postgres URL, naming the problem (without echoing a password). */
export function checkUrl(url: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`invalid PostgreSQL URL ${JSON.stringify(redactPgUrl(url))}: expected postgres://user@host:port/database`);
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new Error(`invalid PostgreSQL URL ${JSON.stringify(redactPgUrl(url))}: the scheme must be postgres:// or postgresql://`);
  }
  if (!u.hostname) throw new Error(`invalid PostgreSQL URL ${JSON.stringify(redactPgUrl(url))}: no host`);
}

/** The URL with its password shown as <secret> (for logs and errors). */
export function redactPgUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:@/]*):[^@/]*@/i, '$1:<secret>@').replace(/([?&]password=)[^&]*/i, '$1<secret>');
}
