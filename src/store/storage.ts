/**
 * @module store/storage
 * The asynchronous storage interface for Tocsin's three kinds of durable state (alerts, silences, the
 * notification log), which both backends implement: SQLite (src/store/sqlite-storage.ts, a single instance)
 * and PostgreSQL (src/store/postgres/, several replicas sharing one state; issue 13).
 *
 * Today's in-memory owners (MemAlerts, Silences, Nflog) use the synchronous interfaces AlertPersistence,
 * SilencePersistence and NflogStore; docs/ha-design.md describes how they move onto this one. Every method
 * here is "durable once the promise resolves"; a rejected promise means nothing of that call was stored
 * (each call is one transaction).
 */
import type { NflogEntry } from '../nflog/types';
import type { StoredSilence } from '../silence/store';
import type { Alert } from '../types/alert';

export type { NflogEntry } from '../nflog/types';
export type { StoredSilence } from '../silence/store';

export interface AlertStorage {
  /** every stored alert */
  loadAll(): Promise<Alert[]>;
  /**
   * Stores the alerts merged by fingerprint with what is already stored, by upstream's rule (provider/mem
   * Put: merge when the activity ranges overlap, else replace; src/provider/mem-alerts.ts mergeAlerts),
   * evaluated against the STORED row, so replicas that receive the same alert converge. A fingerprint that
   * occurs several times in `alerts` is merged in order first. `now` (epoch ms) decides "resolved".
   * Returns the stored result, one per distinct fingerprint, in order of first occurrence.
   */
  merge(alerts: readonly Alert[], now: number): Promise<Alert[]>;
  delete(fingerprints: readonly string[]): Promise<void>;
}

export interface StoredSilenceRow {
  silence: StoredSilence;
  /** epoch ms after which the row may be deleted (endsAt + retention) */
  expiresAt: number;
  /** stored size in bytes (the --silences.max-silence-size-bytes accounting) */
  bytes: number;
}

export interface SilenceStorage {
  loadAll(): Promise<StoredSilenceRow[]>;
  /** the stored silences among `ids` (an id not returned is not stored) */
  get(ids: readonly string[]): Promise<StoredSilenceRow[]>;
  /** writes several silences in one transaction (e.g. expire old + create new) */
  put(items: readonly { silence: StoredSilence; expiresAt: number }[]): Promise<void>;
  delete(ids: readonly string[]): Promise<void>;
}

/** A stored notification-log entry and its version (bumped on every write of its key; PostgreSQL only). */
export interface VersionedNflogEntry extends NflogEntry {
  version: number;
}

export interface NflogStorage {
  loadAll(): Promise<NflogEntry[]>;
  /**
   * Several entries in one transaction (all or none). A stored entry with a later timestamp is kept
   * (upstream nflog's merge rule: the newest timestamp wins), so replaying an old entry changes nothing.
   */
  upsertMany(entries: Iterable<readonly [string, NflogEntry]>): Promise<void>;
  /** deletes entries with expiresAt <= now; resolves to how many */
  deleteExpired(now: number): Promise<number>;
  /** bytes held, for alertmanager_nflog_snapshot_size_bytes */
  sizeBytes(): Promise<number>;
}

/** One backend: the three stores over one connection (SQLite file or PostgreSQL pool). */
export interface Storage {
  readonly kind: 'sqlite' | 'postgres';
  readonly alerts: AlertStorage;
  readonly silences: SilenceStorage;
  readonly nflog: NflogStorage;
  close(): Promise<void>;
}

/**
 * A write that could not be stored because the shared database is unreachable (PostgreSQL fails open: reads
 * and notifications go on from memory). The API answers it with 503 and this message; clients retry.
 */
export class StorageUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`storage unavailable: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'StorageUnavailableError';
  }
}
