/**
 * @module app/history
 * The history subsystem as the composition root builds it: the SQLite table (src/store/history.ts) in its own
 * file, `<storage.path>/history.db`, written by a worker thread (src/store/sqlite-writer-thread.ts) so that
 * recording costs the event loop little more than building the events, or, on PostgreSQL, the table every
 * replica shares (src/store/postgres/history.ts); the batch writer every recording hook gets as its HistorySink;
 * and the background retention. Long-lived: it outlives reloads, like the nflog.
 */
import { HistoryBatchWriter } from '../history/batch-writer';
import { HistoryRetention } from '../history/retention';
import type { EventRecorder } from './event-recorder/recorder';
import type { HistoryStorage } from '../history/storage';
import { dirname } from 'node:path';
import { type DB, openDatabase, storageError } from '../store/db';
import { moveLegacyHistory, sqliteHistoryStorage } from '../store/history';
import { SqliteWriterThread } from '../store/sqlite-writer-thread';
import { PgHistoryStorage } from '../store/postgres/history';
import type pg from 'pg';
import { Gauge, type Registry } from 'prom-client';
import type { Clock } from '../types/clock';
import type { Logger } from '../types/logger';

export interface AppHistory {
  /** always present, so the API can answer (empty when recording is off) */
  storage: HistoryStorage;
  /** absent when --no-tocsin.history.enabled */
  writer?: HistoryBatchWriter;
  retention?: HistoryRetention;
  /** upstream's event recorder (--enable-feature=event-recorder), fed by the writer's committed events */
  recorder?: EventRecorder;
  /** closes the history's file and its writer thread (after the writer's last commit) */
  close(): Promise<void>;
}

export const DEFAULT_HISTORY = { enabled: true, retention: 14 * 24 * 3600_000, maxEvents: 5_000_000, payloadBytes: 16_384 };

/** No history kept (history off and nowhere to store it): empty pages, nothing stored. */
const NO_HISTORY: HistoryStorage = {
  append: async () => undefined,
  query: async () => ({ events: [] }),
  deleteOlderThan: async () => 0,
  trimToNewest: async () => 0,
  count: async () => 0,
};

/**
 * The history over `db` (SQLite) or `pg` (the replicas' PostgreSQL pool). With a `recorder`, the writer exists
 * even when history is off (its events then go nowhere but to the recorder).
 */
export function createHistory(
  store: { db?: DB | undefined; pg?: pg.Pool | undefined },
  o: { clock: Clock; logger: Logger; registry?: Registry; history?: { enabled: boolean; retention: number; maxEvents: number; payloadBytes?: number } },
  recorder?: EventRecorder,
): AppHistory {
  const cfg = o.history ?? DEFAULT_HISTORY;
  let storage: HistoryStorage = NO_HISTORY;
  let close = async (): Promise<void> => undefined;
  if (store.db) {
    const db = store.db;
    // an in-memory store (tests) keeps the history in it, written on the event loop
    const own = db.memory ? undefined : openDatabase(dirname(db.name), 'history.db');
    const thread = own && cfg.enabled ? new SqliteWriterThread(own.name) : undefined;
    try {
      storage = sqliteHistoryStorage(own ?? db, thread ? { writer: thread } : {});
      if (own) moveLegacyHistory(db, own);
    } catch (e) {
      own?.close();
      // a damaged history.db is named as such (the caller names tocsin.db for its own errors)
      throw own ? storageError(e, own.name) : e;
    }
    close = async () => {
      await thread?.close();
      own?.close();
    };
  } else if (store.pg) {
    storage = new PgHistoryStorage(store.pg);
  }
  const logger = o.logger.child({ component: 'history' });
  const keep = storage !== NO_HISTORY && cfg.enabled;
  if (!keep && !recorder) return { storage, close };
  const writer = new HistoryBatchWriter({ storage: keep ? storage : NO_HISTORY, logger, payloadBytes: keep ? (cfg.payloadBytes ?? DEFAULT_HISTORY.payloadBytes) : 0 });
  if (recorder) writer.subscribe((events) => recorder.record(events));
  if (o.registry) registerPending(o.registry, writer);
  return {
    storage,
    close,
    writer,
    ...(recorder ? { recorder } : {}),
    ...(keep ? { retention: new HistoryRetention({ storage, clock: o.clock, logger, retention: cfg.retention, maxEvents: cfg.maxEvents }) } : {}),
  };
}

/** How far the history is behind: events recorded and not committed yet (an alert storm's, until it is over). */
function registerPending(registry: Registry, writer: HistoryBatchWriter): void {
  const name = 'tocsin_history_events_pending';
  registry.removeSingleMetric(name);
  new Gauge({
    name,
    help: 'History events recorded and not yet committed to storage (an alert storm is written once it is over).',
    registers: [registry],
    collect() {
      this.set(writer.pending);
    },
  });
}
