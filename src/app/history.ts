/**
 * @module app/history
 * The history subsystem as the composition root builds it: the SQLite table (src/store/history.ts) or, on
 * PostgreSQL, the table every replica shares (src/store/postgres/history.ts), the
 * batch writer every recording hook gets as its HistorySink, and the background retention. Long-lived:
 * it outlives reloads, like the nflog.
 */
import { HistoryBatchWriter } from '../history/batch-writer';
import { HistoryRetention } from '../history/retention';
import type { EventRecorder } from './event-recorder/recorder';
import type { HistoryStorage } from '../history/storage';
import type { DB } from '../store/db';
import { sqliteHistoryStorage } from '../store/history';
import { PgHistoryStorage } from '../store/postgres/history';
import type pg from 'pg';
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
  o: { clock: Clock; logger: Logger; history?: { enabled: boolean; retention: number; maxEvents: number; payloadBytes?: number } },
  recorder?: EventRecorder,
): AppHistory {
  const storage = store.db ? sqliteHistoryStorage(store.db) : store.pg ? new PgHistoryStorage(store.pg) : NO_HISTORY;
  const cfg = o.history ?? DEFAULT_HISTORY;
  const logger = o.logger.child({ component: 'history' });
  const keep = storage !== NO_HISTORY && cfg.enabled;
  if (!keep && !recorder) return { storage };
  const writer = new HistoryBatchWriter({ storage: keep ? storage : NO_HISTORY, logger, payloadBytes: keep ? (cfg.payloadBytes ?? DEFAULT_HISTORY.payloadBytes) : 0 });
  if (recorder) writer.subscribe((events) => recorder.record(events));
  return {
    storage,
    writer,
    ...(recorder ? { recorder } : {}),
    ...(keep ? { retention: new HistoryRetention({ storage, clock: o.clock, logger, retention: cfg.retention, maxEvents: cfg.maxEvents }) } : {}),
  };
}
