'use strict';
// The machine's PostgreSQL for the HA rows (issue 13): 127.0.0.1:5432, user postgres, trust auth (override
// with TOCSIN_BENCH_PG_URL pointing at any database of the server). Each run gets its own randomly named
// database, dropped after its servers stopped.
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const pg = require('pg');
const proc = require('./proc');

const ADMIN_URL = process.env.TOCSIN_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function withClient(fn, adminUrl = ADMIN_URL) {
  const c = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Why the PostgreSQL rows cannot run (server unreachable), or null. */
async function pgUnreachableReason(adminUrl = ADMIN_URL) {
  try {
    await withClient((c) => c.query('SELECT 1'), adminUrl);
    return null;
  } catch (err) {
    const where = new URL(adminUrl).host;
    return `PostgreSQL is not reachable at ${where} (${err.message || err.code}); start it (e.g. pg_ctlcluster <version> main start) or set TOCSIN_BENCH_PG_URL`;
  }
}

/** A new empty database: {url, name, drop()}. */
async function createDatabase(adminUrl = ADMIN_URL) {
  const name = `tocsin_bench_${randomBytes(6).toString('hex')}`;
  await withClient((c) => c.query(`CREATE DATABASE ${name}`), adminUrl);
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    name,
    drop: () => withClient((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`), adminUrl),
  };
}

/** Whether a database of that name exists (for the harness tests). */
async function databaseExists(name, adminUrl = ADMIN_URL) {
  return withClient(async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount > 0, adminUrl);
}

/** Pid of the PostgreSQL server (postmaster), to read its CPU time from /proc; null if unknown. */
async function serverPid(adminUrl = ADMIN_URL) {
  try {
    return await withClient(async (c) => {
      const { rows } = await c.query('SELECT pg_backend_pid() AS pid');
      return proc.parseStat(fs.readFileSync(`/proc/${rows[0].pid}/stat`, 'utf8')).ppid;
    }, adminUrl);
  } catch {
    return null; // another machine, or /proc not readable
  }
}

module.exports = { ADMIN_URL, pgUnreachableReason, createDatabase, databaseExists, serverPid };
