/**
 * @module history/storage
 * Where history events live: an asynchronous interface (the style of src/store/storage.ts) that the SQLite
 * table (src/store/history.ts) and the PostgreSQL one (src/store/postgres/history.ts) implement. Every
 * method is one transaction; append() is "durable once the promise resolves".
 */
import type { LabelSet } from '../types/alert';
import type { HistoryEvent, HistoryKind, StoredHistoryEvent } from './event';
import type { SeriesCell, SeriesQuery } from './series';

/** A position in the newest-first order: the last event of the previous page. */
export interface HistoryCursor {
  time: number;
  id: number;
}

export interface HistoryQuery {
  fingerprint?: string;
  receiver?: string;
  /** events of this aggregation group (notifications, flushes, alerts grouped into it) */
  groupKey?: string;
  /** events of alerts with this alertname (an index for the commonest label filter; `match` still applies) */
  alertname?: string;
  /** any of these kinds (empty/absent = all) */
  kinds?: readonly HistoryKind[];
  /** epoch ms, inclusive */
  since?: number;
  /** epoch ms, exclusive */
  until?: number;
  /** events whose labels satisfy it (events without labels never do) */
  match?: (labels: LabelSet) => boolean;
  limit: number;
  /** start after this position */
  after?: HistoryCursor;
  /**
   * at most this many stored events are examined for `match` (a filter that matches nothing must not scan
   * the whole history in one request); the page then ends early with a cursor to continue
   */
  scanLimit?: number;
}

export interface HistoryPage {
  /** newest first */
  events: StoredHistoryEvent[];
  /** where the next page starts, undefined when there is no more */
  next?: HistoryCursor;
}

export interface HistoryStorage {
  /** stores the events in one transaction, in order */
  append(events: readonly HistoryEvent[]): Promise<void>;
  query(q: HistoryQuery): Promise<HistoryPage>;
  /** deletes at most `max` events older than `time`; resolves to how many */
  deleteOlderThan(time: number, max: number): Promise<number>;
  /** deletes at most `max` of the oldest events beyond the newest `keep`; resolves to how many */
  trimToNewest(keep: number, max: number): Promise<number>;
  /** the chart's aggregation (src/history/series.ts), on SQLite and PostgreSQL; absent when nothing is stored (an empty chart) */
  series?(q: SeriesQuery): Promise<SeriesCell[]>;
  /** how many events are stored */
  count(): Promise<number>;
}
