/**
 * @module store/history-rows
 * What the SQLite (src/store/history.ts) and PostgreSQL (src/store/postgres/history.ts) history tables share:
 * the row shape and its decoding, the labels encoding, and the paging over "newest first" selects (one row more
 * than asked tells whether a next page exists; a label filter reads chunks until the page fills or the scan
 * limit is reached).
 */
import type { HistoryKind, StoredHistoryEvent } from '../history/event';
import type { HistoryCursor, HistoryPage, HistoryQuery } from '../history/storage';
import type { LabelSet } from '../types/alert';

/** A history row (PostgreSQL returns bigint columns as strings). */
export interface HistoryRow {
  id: number | string;
  time: number | string;
  kind: string;
  fingerprint: string | null;
  group_key: string | null;
  receiver: string | null;
  silence_id: string | null;
  labels: string | null;
  data: string | null;
}

export function historyFromRow(r: HistoryRow): StoredHistoryEvent {
  return {
    id: Number(r.id),
    time: Number(r.time),
    kind: r.kind as HistoryKind,
    ...(r.fingerprint !== null ? { fingerprint: r.fingerprint } : {}),
    ...(r.labels !== null ? { labels: JSON.parse(r.labels) as LabelSet } : {}),
    ...(r.group_key !== null ? { groupKey: r.group_key } : {}),
    ...(r.receiver !== null ? { receiver: r.receiver } : {}),
    ...(r.silence_id !== null ? { silenceId: r.silence_id } : {}),
    ...(r.data !== null ? { data: JSON.parse(r.data) as Record<string, unknown> } : {}),
  };
}

/**
 * The labels JSON of a batch's events: an alert's labels are one immutable object shared by its events (first
 * seen, grouped, muted, ...), encoded once per batch (a Map for the batch: a WeakMap kept across batches cost
 * more in its upkeep and the collector's ephemeron work than the encodings it saved).
 */
export function historyLabelsEncoder(): (ls: LabelSet) => string {
  const done = new Map<LabelSet, string>();
  return (ls) => {
    let s = done.get(ls);
    if (s === undefined) {
      s = JSON.stringify(ls);
      done.set(ls, s);
    }
    return s;
  };
}

/** rows read per statement while a label filter drops some */
const CHUNK = 500;

/** `e` comes after `c` in the newest-first order */
function isAfter(e: StoredHistoryEvent, c: HistoryCursor | undefined): boolean {
  return c === undefined || e.time < c.time || (e.time === c.time && e.id < c.id);
}

/**
 * One page of `q`, newest first, from `select(after, limit)` (the table's filtered, ordered select) and `expand`
 * (a row's events, newest first: a SQLite row may hold two, see src/store/history.ts), keeping the events `keep`
 * accepts (the query's conditions a row's other event may not meet). A select may return the row holding the
 * cursor's event again: only events after the cursor count.
 */
export async function pageHistory(
  q: HistoryQuery,
  select: (after: HistoryCursor | undefined, limit: number) => HistoryRow[] | Promise<HistoryRow[]>,
  expand: (r: HistoryRow) => readonly StoredHistoryEvent[] = (r) => [historyFromRow(r)],
  keep: (e: StoredHistoryEvent) => boolean = () => true,
): Promise<HistoryPage> {
  const limit = Math.max(1, q.limit);
  const scanLimit = q.scanLimit ?? 50_000;
  const out: StoredHistoryEvent[] = [];
  let after = q.after;
  let scanned = 0;
  for (;;) {
    // one row more than the page needs tells whether a next page exists
    const want = q.match ? CHUNK : limit + 1 - out.length;
    const rows = await select(after, want);
    for (const r of rows) {
      scanned++;
      for (const e of expand(r)) {
        if (!isAfter(e, after)) continue;
        if (out.length === limit) return { events: out, next: after! };
        after = { time: e.time, id: e.id };
        if (keep(e) && (!q.match || (e.labels && q.match(e.labels)))) out.push(e);
      }
    }
    if (rows.length < want) return { events: out };
    if (scanned >= scanLimit) return { events: out, ...(after ? { next: after } : {}) };
  }
}
