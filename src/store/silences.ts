/**
 * SQLite persistence of silences: one row per silence, JSON body. Replaces upstream's periodic protobuf
 * snapshot. The audit trail (src/silence/audit.ts) is a second table written in the same transaction, deleted
 * with its silence.
 *
 * Rows are keyed by an integer this store assigns in creation order (held in memory by id), not by the silence's
 * random UUID: a new silence then appends to its table and to the audit trail's index instead of inserting at a
 * random place in a UUID index (two more pages written to the WAL per commit; creating 1000 silences in commits
 * of 4 cost ~35 % less SQLite CPU). Nothing looks a row up by id in SQL: every id is in the key map, built from
 * the table on first use.
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

/** the schema's steps (migrate()); exported for the tests that write a file of an earlier schema */
export const SILENCE_MIGRATIONS: readonly string[] = [
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
  // integer keys (see the module's comment), in the old rows' order; the expires_at index goes (nothing queried
  // it: garbage collection deletes by id). An audit entry whose silence is gone goes too (none is written: an
  // entry is written and deleted with its silence).
  `CREATE TABLE silences_v4 (
     key INTEGER PRIMARY KEY,
     id TEXT NOT NULL,
     body TEXT NOT NULL,
     expires_at INTEGER NOT NULL
   );
   INSERT INTO silences_v4 (id, body, expires_at) SELECT id, body, expires_at FROM silences ORDER BY rowid;
   CREATE TABLE silence_audit_v4 (
     id INTEGER PRIMARY KEY,
     silence_key INTEGER NOT NULL,
     time INTEGER NOT NULL,
     body TEXT NOT NULL
   );
   INSERT INTO silence_audit_v4 (id, silence_key, time, body)
     SELECT a.id, s.key, a.time, a.body FROM silence_audit a JOIN silences_v4 s ON s.id = a.silence_id ORDER BY a.id;
   DROP TABLE silence_audit;
   DROP TABLE silences;
   ALTER TABLE silences_v4 RENAME TO silences;
   ALTER TABLE silence_audit_v4 RENAME TO silence_audit;
   CREATE INDEX silence_audit_silence ON silence_audit (silence_key, id);`,
];

const UPSERT =
  'INSERT INTO silences (key, id, body, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET body = excluded.body, expires_at = excluded.expires_at';
const DELETE = 'DELETE FROM silences WHERE key = ?';
const AUDIT_INSERT = 'INSERT INTO silence_audit (silence_key, time, body) VALUES (?, ?, ?)';
const AUDIT_DELETE = 'DELETE FROM silence_audit WHERE silence_key = ?';

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
  /** each stored silence's key, by id (absent until first used: see #keys()) */
  #keyOf: Map<string, number> | undefined;
  /** the largest key assigned so far */
  #maxKey = 0;
  readonly #upsert: Database.Statement<[number, string, string, number]>;
  readonly #delete: Database.Statement<[number]>;
  readonly #auditInsert: Database.Statement<[number, number, string]>;
  readonly #auditDelete: Database.Statement<[number]>;
  readonly #auditSelect: Database.Statement<[number]>;
  /** put()'s transaction on the main connection, made once (better-sqlite3 builds a wrapper per transaction()) */
  readonly #putTx: (items: readonly { silence: StoredSilence; expiresAt: number }[], audit: readonly SilenceAuditEntry[]) => void;
  readonly #deleteTx: (keys: readonly number[]) => void;

  constructor(db: DB, o: SilenceStoreOptions = {}) {
    this.#db = db;
    this.#writer = o.writer;
    this.#logger = o.logger;
    migrate(db, 'silences', SILENCE_MIGRATIONS);
    this.#upsert = db.prepare<[number, string, string, number]>(UPSERT);
    this.#delete = db.prepare<[number]>(DELETE);
    this.#auditInsert = db.prepare<[number, number, string]>(AUDIT_INSERT);
    this.#auditDelete = db.prepare<[number]>(AUDIT_DELETE);
    this.#auditSelect = db.prepare<[number]>('SELECT body FROM silence_audit WHERE silence_key = ? ORDER BY id');
    this.#putTx = db.transaction((items: readonly { silence: StoredSilence; expiresAt: number }[], audit: readonly SilenceAuditEntry[]) => {
      for (const it of items) this.#upsert.run(this.#keyFor(it.silence.id), it.silence.id, JSON.stringify(it.silence), it.expiresAt);
      for (const a of audit) this.#auditInsert.run(this.#keyFor(a.silenceId), a.time, JSON.stringify(a));
    });
    this.#deleteTx = db.transaction((keys: readonly number[]) => {
      for (const key of keys) {
        this.#delete.run(key);
        this.#auditDelete.run(key);
      }
    });
  }

  loadAll(): { silence: StoredSilence; expiresAt: number; bytes: number }[] {
    const rows = this.#db.prepare('SELECT key, body, expires_at FROM silences').all() as { key: number; body: string; expires_at: number }[];
    const fill = this.#keyOf === undefined;
    const keyOf = (this.#keyOf ??= new Map());
    return rows.map((r) => {
      const silence = JSON.parse(r.body) as StoredSilence;
      if (fill) this.#hold(keyOf, silence.id, r.key);
      return { silence, expiresAt: r.expires_at, bytes: r.body.length };
    });
  }

  /** The stored silences with these ids (unknown ids are skipped). */
  get(ids: readonly string[]): { silence: StoredSilence; expiresAt: number; bytes: number }[] {
    const keyOf = this.#keys();
    const select = this.#db.prepare<[number]>('SELECT body, expires_at FROM silences WHERE key = ?');
    const out: { silence: StoredSilence; expiresAt: number; bytes: number }[] = [];
    for (const id of ids) {
      const key = keyOf.get(id);
      const r = key === undefined ? undefined : (select.get(key) as { body: string; expires_at: number } | undefined);
      if (r) out.push({ silence: JSON.parse(r.body) as StoredSilence, expiresAt: r.expires_at, bytes: r.body.length });
    }
    return out;
  }

  /**
   * Writes several silences in one transaction (e.g. expire old + create new). Sent to the writer thread (while
   * it is busy): returns the commit's promise (rejected with SQLite's error); else durable when it returns.
   */
  put(items: readonly { silence: StoredSilence; expiresAt: number }[], audit: readonly SilenceAuditEntry[] = []): void | Promise<void> {
    if (this.#writer?.busy) {
      // JSON texts made here: copying a string to the thread costs far less than copying the object
      // (structured clone of the silences and their audit entries: ~3x the time of JSON.stringify)
      const values = new Array<unknown>(items.length * 4);
      let i = 0;
      for (const it of items) {
        values[i++] = this.#keyFor(it.silence.id);
        values[i++] = it.silence.id;
        values[i++] = JSON.stringify(it.silence);
        values[i++] = it.expiresAt;
      }
      const auditValues = new Array<unknown>(audit.length * 3);
      i = 0;
      for (const a of audit) {
        auditValues[i++] = this.#keyFor(a.silenceId);
        auditValues[i++] = a.time;
        auditValues[i++] = JSON.stringify(a);
      }
      const p = this.#writer.rows({ sql: UPSERT, width: 4, values, after: [{ sql: AUDIT_INSERT, width: 3, values: auditValues }] }).then(() => undefined);
      this.#last = p;
      return p;
    }
    this.#putTx(items, audit);
  }

  delete(ids: readonly string[]): void {
    const keyOf = this.#keys();
    const keys: number[] = [];
    for (const id of ids) {
      const key = keyOf.get(id);
      if (key === undefined) continue;
      keys.push(key);
      // forgotten now: a write of the id after this delete is a new row (behind the delete, on the thread too)
      keyOf.delete(id);
    }
    if (keys.length === 0) return;
    if (this.#writer?.busy) {
      const p = this.#writer.rows({ sql: DELETE, width: 1, values: keys, after: [{ sql: AUDIT_DELETE, width: 1, values: [...keys] }] }).then(() => undefined);
      p.catch((err: unknown) => this.#logger?.error({ err, silences: ids.length }, 'Deleting silences from storage failed'));
      this.#last = p;
      return;
    }
    this.#deleteTx(keys);
  }

  /** Resolves once every write sent to the thread so far has settled (the thread commits in order). */
  async settled(): Promise<void> {
    await this.#last.catch(() => undefined);
  }

  audit(silenceId: string): SilenceAuditEntry[] {
    const key = this.#keys().get(silenceId);
    if (key === undefined) return [];
    return (this.#auditSelect.all(key) as { body: string }[]).map((r) => JSON.parse(r.body) as SilenceAuditEntry);
  }

  /** The key map, read from the table on first use (loadAll() fills it as it reads). */
  #keys(): Map<string, number> {
    if (this.#keyOf) return this.#keyOf;
    const keyOf = new Map<string, number>();
    for (const [key, id] of this.#db.prepare('SELECT key, id FROM silences').raw().iterate() as IterableIterator<[number, string]>) {
      this.#hold(keyOf, id, key);
    }
    this.#keyOf = keyOf;
    return keyOf;
  }

  #hold(keyOf: Map<string, number>, id: string, key: number): void {
    keyOf.set(id, key);
    if (key > this.#maxKey) this.#maxKey = key;
  }

  /** The key of `id`'s row: its own, or a new one (the next in creation order) for a silence not stored yet. */
  #keyFor(id: string): number {
    const keyOf = this.#keys();
    let key = keyOf.get(id);
    if (key === undefined) {
      key = ++this.#maxKey;
      keyOf.set(id, key);
    }
    return key;
  }
}
