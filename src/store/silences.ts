/**
 * SQLite persistence of silences: one row per silence, JSON body, written synchronously so a returned
 * create/update/expire is durable (WAL). Replaces upstream's periodic protobuf snapshot. The audit trail
 * (src/silence/audit.ts) is a second table written in the same transaction, deleted with its silence.
 */
import type Database from 'better-sqlite3';
import type { SilenceAuditEntry } from '../silence/audit';
import type { SilencePersistence, StoredSilence } from '../silence/store';
import { type DB, migrate } from './db';

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

export class SilenceStore implements SilencePersistence {
  readonly #db: DB;
  readonly #upsert: Database.Statement<[string, string, number]>;
  readonly #delete: Database.Statement<[string]>;
  readonly #auditInsert: Database.Statement<[string, number, string]>;
  readonly #auditDelete: Database.Statement<[string]>;
  readonly #auditSelect: Database.Statement<[string]>;

  constructor(db: DB) {
    this.#db = db;
    migrate(db, 'silences', MIGRATIONS);
    this.#upsert = db.prepare<[string, string, number]>(
      'INSERT INTO silences (id, body, expires_at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET body = excluded.body, expires_at = excluded.expires_at',
    );
    this.#delete = db.prepare<[string]>('DELETE FROM silences WHERE id = ?');
    this.#auditInsert = db.prepare<[string, number, string]>('INSERT INTO silence_audit (silence_id, time, body) VALUES (?, ?, ?)');
    this.#auditDelete = db.prepare<[string]>('DELETE FROM silence_audit WHERE silence_id = ?');
    this.#auditSelect = db.prepare<[string]>('SELECT body FROM silence_audit WHERE silence_id = ? ORDER BY id');
  }

  loadAll(): { silence: StoredSilence; expiresAt: number; bytes: number }[] {
    const rows = this.#db.prepare('SELECT body, expires_at FROM silences').all() as { body: string; expires_at: number }[];
    return rows.map((r) => ({ silence: JSON.parse(r.body) as StoredSilence, expiresAt: r.expires_at, bytes: r.body.length }));
  }

  /** Writes several silences in one transaction (e.g. expire old + create new). */
  put(items: readonly { silence: StoredSilence; expiresAt: number }[], audit: readonly SilenceAuditEntry[] = []): void {
    this.#db.transaction(() => {
      for (const it of items) this.#upsert.run(it.silence.id, JSON.stringify(it.silence), it.expiresAt);
      for (const a of audit) this.#auditInsert.run(a.silenceId, a.time, JSON.stringify(a));
    })();
  }

  delete(ids: readonly string[]): void {
    if (ids.length === 0) return;
    this.#db.transaction(() => {
      for (const id of ids) {
        this.#delete.run(id);
        this.#auditDelete.run(id);
      }
    })();
  }

  audit(silenceId: string): SilenceAuditEntry[] {
    return (this.#auditSelect.all(silenceId) as { body: string }[]).map((r) => JSON.parse(r.body) as SilenceAuditEntry);
  }
}
