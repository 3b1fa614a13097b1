/**
 * @module app/history
 * The history subsystem as the composition root builds it: the SQLite table (src/store/history.ts) in its own
 * file, `<storage.path>/history.db`, written by a worker thread (src/store/sqlite-writer-thread.ts) so that
 * recording costs the event loop little more than building the events; the batch writer every recording hook
 * gets as its HistorySink; and the background retention. Long-lived: it outlives reloads, like the nflog.
 */
import { dirname } from 'node:path';
import { HistoryBatchWriter } from '../history/batch-writer';
import { HistoryRetention } from '../history/retention';
import type { HistoryStorage } from '../history/storage';
import { type DB, openDatabase, storageError } from '../store/db';
import { moveLegacyHistory, sqliteHistoryStorage } from '../store/history';
import { SqliteWriterThread } from '../store/sqlite-writer-thread';
import type { Clock } from '../types/clock';
import type { Logger } from '../types/logger';

export interface AppHistory {
  /** always present, so the API can answer (empty when recording is off) */
  storage: HistoryStorage;
  /** absent when --no-tocsin.history.enabled */
  writer?: HistoryBatchWriter;
  retention?: HistoryRetention;
  /** closes the history's file and its writer thread (after the writer's last commit) */
  close(): Promise<void>;
}

export const DEFAULT_HISTORY = { enabled: true, retention: 14 * 24 * 3600_000, maxEvents: 5_000_000, payloadBytes: 16_384 };

/** No history kept (PostgreSQL replicas until a PostgreSQL history store exists): empty pages, nothing stored. */
const NO_HISTORY: HistoryStorage = {
  append: async () => undefined,
  query: async () => ({ events: [] }),
  deleteOlderThan: async () => 0,
  trimToNewest: async () => 0,
  count: async () => 0,
};

export function createHistory(
  db: DB | undefined,
  o: { clock: Clock; logger: Logger; history?: { enabled: boolean; retention: number; maxEvents: number; payloadBytes?: number } },
): AppHistory {
  if (!db) return { storage: NO_HISTORY, close: async () => undefined };
  const cfg = o.history ?? DEFAULT_HISTORY;
  // an in-memory store (tests) keeps the history in it, written on the event loop
  const own = db.memory ? undefined : openDatabase(dirname(db.name), 'history.db');
  const thread = own && cfg.enabled ? new SqliteWriterThread(own.name) : undefined;
  let storage: HistoryStorage;
  try {
    storage = sqliteHistoryStorage(own ?? db, thread ? { writer: thread } : {});
    if (own) moveLegacyHistory(db, own);
  } catch (e) {
    own?.close();
    // a damaged history.db is named as such (the caller names tocsin.db for its own errors)
    throw own ? storageError(e, own.name) : e;
  }
  const close = async () => {
    await thread?.close();
    own?.close();
  };
  if (!cfg.enabled) return { storage, close };
  const logger = o.logger.child({ component: 'history' });
  return {
    storage,
    close,
    writer: new HistoryBatchWriter({ storage, logger, payloadBytes: cfg.payloadBytes ?? DEFAULT_HISTORY.payloadBytes }),
    retention: new HistoryRetention({ storage, clock: o.clock, logger, retention: cfg.retention, maxEvents: cfg.maxEvents }),
  };
}
