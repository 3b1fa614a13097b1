/**
 * SQLite persistence of silences: one row per silence, JSON body. Replaces upstream's periodic protobuf
 * snapshot. The audit trail (src/silence/audit.ts) is a second table written in the same transaction, deleted
 * with its silence.
 *
 * A write is synchronous on the main connection (durable when it returns, WAL), except while the writer thread
 * on tocsin.db (src/store/sqlite-writer-thread.ts: big alert saves) has requests under way: then it goes to the
 * thread, behind them, and put() returns the commit's promise. On the main connection it would wait for the
 * thread's write lock (busy_timeout, up to 5 s) on the event loop. Not always on the thread: a round trip to it
 * per group commit made creating 1000 silences with 4 clients ~15 % slower (more, smaller transactions) and
 * cost ~15 % more CPU, and the commit itself is cheap once the WAL checkpoints are off the event loop
 * (src/store/wal-checkpoint.ts).
 */
import type Database from 'better-sqlite3';
import type { SilenceAuditEntry } from '../silence/audit';
import type { SilencePersistence, StoredSilence } from '../silence/store';
import type { Logger } from '../types/logger';
import { type DB, migrate } from './db';
import type { SqliteWriterThread } from './sqlite-writer-thread';

export type { StoredSilence } from '../silence/store';

const MIGRATIONS = [
  `CREATE TABLE silences (
     id TEXT PRIMARY KEY,
     body TEXT NOT NULL,
     expires_at INTEGER NOT NULL
   )`,
  'CREATE INDEX silences_expires_at ON silences (expires_at)',
  `CREATE TABLE silence_audit (
     id INTEGER PRIMARY KEY,
     silence_id TEXT NOT NULL,
     time INTEGER NOT NULL,
     body TEXT NOT NULL
   );
   CREATE INDEX silence_audit_silence ON silence_audit (silence_id, id);`,
];

const UPSERT =
  'INSERT INTO silences (id, body, expires_at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET body = excluded.body, expires_at = excluded.expires_at';
const DELETE = 'DELETE FROM silences WHERE id = ?';
const AUDIT_INSERT = 'INSERT INTO silence_audit (silence_id, time, body) VALUES (?, ?, ?)';
const AUDIT_DELETE = 'DELETE FROM silence_audit WHERE silence_id = ?';

export interface SilenceStoreOptions {
  /** the writer thread on the same file: writes go through it while it is busy (see the module's comment) */
  writer?: SqliteWriterThread;
  /** logs a failed delete sent to the thread (garbage collection: nobody awaits it) */
  logger?: Logger;
}

export class SilenceStore implements SilencePersistence {
  readonly #db: DB;
  readonly #writer: SqliteWriterThread | undefined;
  readonly #logger: Logger | undefined;
  /** the last write sent to the thread (settled() waits for it) */
  #last: Promise<void> = Promise.resolve();
  readonly #upsert: Database.Statement<[string, string, number]>;
  readonly #delete: Database.Statement<[string]>;
  readonly #auditInsert: Database.Statement<[string, number, string]>;
  readonly #auditDelete: Database.Statement<[string]>;
  readonly #auditSelect: Database.Statement<[string]>;
  /** put()'s transaction on the main connection, made once (better-sqlite3 builds a wrapper per transaction()) */
  readonly #putTx: (items: readonly { silence: StoredSilence; expiresAt: number }[], audit: readonly SilenceAuditEntry[]) => void;

  constructor(db: DB, o: SilenceStoreOptions = {}) {
    this.#db = db;
    this.#writer = o.writer;
    this.#logger = o.logger;
    migrate(db, 'silences', MIGRATIONS);
    this.#upsert = db.prepare<[string, string, number]>(UPSERT);
    this.#delete = db.prepare<[string]>(DELETE);
    this.#auditInsert = db.prepare<[string, number, string]>(AUDIT_INSERT);
    this.#auditDelete = db.prepare<[string]>(AUDIT_DELETE);
    this.#auditSelect = db.prepare<[string]>('SELECT body FROM silence_audit WHERE silence_id = ? ORDER BY id');
    this.#putTx = db.transaction((items: readonly { silence: StoredSilence; expiresAt: number }[], audit: readonly SilenceAuditEntry[]) => {
      for (const it of items) this.#upsert.run(it.silence.id, JSON.stringify(it.silence), it.expiresAt);
      for (const a of audit) this.#auditInsert.run(a.silenceId, a.time, JSON.stringify(a));
    });
  }

  loadAll(): { silence: StoredSilence; expiresAt: number; bytes: number }[] {
    const rows = this.#db.prepare('SELECT body, expires_at FROM silences').all() as { body: string; expires_at: number }[];
    return rows.map((r) => ({ silence: JSON.parse(r.body) as StoredSilence, expiresAt: r.expires_at, bytes: r.body.length }));
  }

  /**
   * Writes several silences in one transaction (e.g. expire old + create new). Sent to the writer thread (while
   * it is busy): returns the commit's promise (rejected with SQLite's error); else durable when it returns.
   */
  put(items: readonly { silence: StoredSilence; expiresAt: number }[], audit: readonly SilenceAuditEntry[] = []): void | Promise<void> {
    if (this.#writer?.busy) {
      // JSON texts made here: copying a string to the thread costs far less than copying the object
      // (structured clone of the silences and their audit entries: ~3x the time of JSON.stringify)
      const values = new Array<unknown>(items.length * 3);
      let i = 0;
      for (const it of items) {
        values[i++] = it.silence.id;
        values[i++] = JSON.stringify(it.silence);
        values[i++] = it.expiresAt;
      }
      const auditValues = new Array<unknown>(audit.length * 3);
      i = 0;
      for (const a of audit) {
        auditValues[i++] = a.silenceId;
        auditValues[i++] = a.time;
        auditValues[i++] = JSON.stringify(a);
      }
      const p = this.#writer.rows({ sql: UPSERT, width: 3, values, after: [{ sql: AUDIT_INSERT, width: 3, values: auditValues }] }).then(() => undefined);
      this.#last = p;
      return p;
    }
    this.#putTx(items, audit);
  }

  delete(ids: readonly string[]): void {
    if (ids.length === 0) return;
    if (this.#writer?.busy) {
      const p = this.#writer.rows({ sql: DELETE, width: 1, values: [...ids], after: [{ sql: AUDIT_DELETE, width: 1, values: [...ids] }] }).then(() => undefined);
      p.catch((err: unknown) => this.#logger?.error({ err, silences: ids.length }, 'Deleting silences from storage failed'));
      this.#last = p;
      return;
    }
    this.#db.transaction(() => {
      for (const id of ids) {
        this.#delete.run(id);
        this.#auditDelete.run(id);
      }
    })();
  }

  /** Resolves once every write sent to the thread so far has settled (the thread commits in order). */
  async settled(): Promise<void> {
    await this.#last.catch(() => undefined);
  }

  audit(silenceId: string): SilenceAuditEntry[] {
    return (this.#auditSelect.all(silenceId) as { body: string }[]).map((r) => JSON.parse(r.body) as SilenceAuditEntry);
  }
}
