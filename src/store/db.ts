import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { AmError } from '../types/errors';

export type DB = Database.Database;

/** The server's exit status when its store cannot be opened (a config error exits with 1). */
export const STORAGE_EXIT_CODE = 3;

/**
 * The SQLite file cannot be used: it is not a database, it is corrupt, or it cannot be opened or written. The
 * message names the file, says what is wrong and how to recover, and is never blamed on the config.
 */
export class StorageError extends AmError {
  readonly file: string;
  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super('AM_ERR_STORAGE', message, options);
    this.file = file;
  }
}

/** SQLite result codes (better-sqlite3's SqliteError.code) that mean the file's content is damaged. */
export function isCorruption(code: unknown): boolean {
  return typeof code === 'string' && (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT'));
}

/** How to set a damaged file aside and start with empty state, or look at it first. */
export function recoveryHint(file: string): string {
  return (
    `Move it aside (mv ${file} ${file}.corrupt, and its -wal and -shm files if present) to start with empty ` +
    `state, or check it with \`tocsinctl storage check --storage.path=${dirname(file)}\`.`
  );
}

/**
 * The StorageError for a SQLite error met while opening or loading `file` (any error with `whileOpening`: the
 * directory cannot be created, ...); anything else (a bug, a config error) is returned as it is.
 */
export function storageError(err: unknown, file: string, whileOpening = false): unknown {
  // duck-typed: errors of node's fs may come from another realm (instanceof Error fails there)
  if (err instanceof StorageError || typeof err !== 'object' || err === null) return err;
  const { code, name, message } = err as { code?: unknown; name?: unknown; message?: unknown };
  if (typeof message !== 'string') return err;
  if (isCorruption(code)) {
    return new StorageError(file, `storage: ${file} is not a valid SQLite database (${message}). ${recoveryHint(file)}`, { cause: err });
  }
  if (name === 'SqliteError' || whileOpening) {
    return new StorageError(file, `storage: ${file} cannot be used (${message}); check --storage.path, the file's permissions and the free disk space.`, { cause: err });
  }
  return err;
}

/**
 * Opens (creating if needed) the one SQLite file that holds Tocsin's state, in WAL mode.
 * synchronous=NORMAL in WAL mode is durable against a process kill (kill -9): a committed transaction is in
 * the WAL file before the call returns; only an OS crash/power loss can drop the last transactions.
 */
export function openDatabase(storagePath: string, fileName = 'tocsin.db'): DB {
  const file = storagePath === ':memory:' ? ':memory:' : join(storagePath, fileName);
  let db: DB | undefined;
  try {
    if (storagePath !== ':memory:') mkdirSync(storagePath, { recursive: true });
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (module TEXT NOT NULL, version INTEGER NOT NULL, applied_at INTEGER NOT NULL, PRIMARY KEY (module, version))');
    return db;
  } catch (e) {
    db?.close();
    throw storageError(e, file, true);
  }
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
