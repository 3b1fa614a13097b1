import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export type DB = Database.Database;

/**
 * Opens (creating if needed) the one SQLite file that holds Tocsin's state, in WAL mode.
 * synchronous=NORMAL in WAL mode is durable against a process kill (kill -9): a committed transaction is in
 * the WAL file before the call returns; only an OS crash/power loss can drop the last transactions.
 */
export function openDatabase(storagePath: string, fileName = 'tocsin.db'): DB {
  if (storagePath !== ':memory:') mkdirSync(storagePath, { recursive: true });
  const db = new Database(storagePath === ':memory:' ? ':memory:' : join(storagePath, fileName));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (module TEXT NOT NULL, version INTEGER NOT NULL, applied_at INTEGER NOT NULL, PRIMARY KEY (module, version))');
  return db;
}

/**
 * Schema migrations, per module (alerts, silences, nflog, ...), so modules own their tables without a
 * shared numbering. Each entry of `steps` is one version (1-based); applied steps are recorded and skipped.
 */
export function migrate(db: DB, module: string, steps: readonly string[]): void {
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations WHERE module = ?').all(module) as { version: number }[]).map(
      (r) => r.version,
    ),
  );
  const record = db.prepare('INSERT INTO schema_migrations (module, version, applied_at) VALUES (?, ?, ?)');
  steps.forEach((sql, i) => {
    const version = i + 1;
    if (applied.has(version)) return;
    db.transaction(() => {
      db.exec(sql);
      record.run(module, version, Date.now());
    })();
  });
}
