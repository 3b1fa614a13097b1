/**
 * @module store/sqlite-storage
 * The SQLite backend behind the asynchronous Storage interface (src/store/storage.ts): today's synchronous
 * stores (AlertStore, SilenceStore, sqliteNflogStore, on one WAL file), each call one transaction, the
 * promise settling after it. One process owns the file, so the merge rule runs in JS inside the transaction
 * (read the stored rows, mergeAlerts, write) where PostgreSQL runs it in SQL. Not wired into the app yet
 * (docs/ha-design.md, "From sync to async interfaces").
 */
import type { NflogStore } from '../nflog/nflog';
import type { Alert } from '../types/alert';
import { mergeStored, mergeWithinBatch } from './alert-merge';
import { AlertStore } from './alerts';
import type { DB } from './db';
import { sqliteNflogStore } from './nflog';
import { SilenceStore } from './silences';
import type { AlertStorage, NflogEntry, NflogStorage, SilenceStorage, Storage, StoredSilence, StoredSilenceRow } from './storage';

/** SQLite's limit on bound parameters is far above this; chunks keep the IN lists short. */
const CHUNK = 500;

function chunks<T>(xs: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += CHUNK) out.push(xs.slice(i, i + CHUNK));
  return out;
}

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** one of the synchronous stores and the database it lives in */
abstract class Over<S> {
  constructor(
    protected readonly db: DB,
    protected readonly store: S,
  ) {}
}

class SqliteAlertStorage extends Over<AlertStore> implements AlertStorage {

  async loadAll(): Promise<Alert[]> {
    return this.store.loadAll();
  }

  /** the stored alerts among these fingerprints (found by their rows' ids: the table has no fingerprint index) */
  #stored(fps: readonly string[]): Map<string, Alert> {
    const out = new Map<string, Alert>();
    for (const fp of fps) {
      const a = this.store.get(fp);
      if (a) out.set(fp, a);
    }
    return out;
  }

  async merge(alerts: readonly Alert[], now: number): Promise<Alert[]> {
    if (alerts.length === 0) return [];
    return this.db.transaction(() => {
      const batch = mergeWithinBatch(alerts, now);
      const stored = this.#stored(batch.map((a) => a.fingerprint));
      const merged = batch.map((a) => mergeStored(stored.get(a.fingerprint), a, now));
      this.store.save(merged, (fp) => stored.get(fp));
      return merged;
    })();
  }

  async delete(fingerprints: readonly string[]): Promise<void> {
    this.store.delete(fingerprints);
  }
}

class SqliteSilenceStorage extends Over<SilenceStore> implements SilenceStorage {

  async loadAll(): Promise<StoredSilenceRow[]> {
    return this.store.loadAll();
  }

  async get(ids: readonly string[]): Promise<StoredSilenceRow[]> {
    return this.store.get(ids);
  }

  async put(items: readonly { silence: StoredSilence; expiresAt: number }[]): Promise<void> {
    this.store.put(items);
  }

  async delete(ids: readonly string[]): Promise<void> {
    this.store.delete(ids);
  }
}

class SqliteNflogStorage extends Over<NflogStore> implements NflogStorage {

  async loadAll(): Promise<NflogEntry[]> {
    return this.store.loadAll();
  }

  async upsertMany(entries: Iterable<readonly [string, NflogEntry]>): Promise<void> {
    const byKey = new Map<string, NflogEntry>();
    for (const [k, e] of entries) byKey.set(k, e);
    if (byKey.size === 0) return;
    this.db.transaction(() => {
      // the newest timestamp wins, as on PostgreSQL
      for (const part of chunks([...byKey.keys()])) {
        const rows = this.db.prepare(`SELECT key, timestamp FROM nflog WHERE key IN (${marks(part.length)})`).all(...part) as { key: string; timestamp: number }[];
        for (const r of rows) if (r.timestamp > byKey.get(r.key)!.timestamp) byKey.delete(r.key);
      }
      this.store.upsertMany?.(byKey);
    })();
  }

  async deleteExpired(now: number): Promise<number> {
    return this.store.deleteExpired(now);
  }

  async sizeBytes(): Promise<number> {
    return this.store.sizeBytes?.() ?? 0;
  }
}

export class SqliteStorage implements Storage {
  readonly kind = 'sqlite';
  readonly alerts: AlertStorage;
  readonly silences: SilenceStorage;
  readonly nflog: NflogStorage;
  readonly #db: DB;

  /** Migrates the tables of the three stores in `db` (src/store/db.ts openDatabase). */
  constructor(db: DB) {
    this.#db = db;
    this.alerts = new SqliteAlertStorage(db, new AlertStore(db));
    this.silences = new SqliteSilenceStorage(db, new SilenceStore(db));
    this.nflog = new SqliteNflogStorage(db, sqliteNflogStore(db));
  }

  async close(): Promise<void> {
    this.#db.close();
  }
}
