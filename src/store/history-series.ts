/**
 * @module store/history-series
 * The chart's aggregations over the SQLite history (src/history/series.ts), each one indexed query:
 * - alerts firing over time read `history_firing`, one row per firing interval of an alert (alert_created
 *   opens it, alert_resolved closes it), kept up to date in the history's append transaction. The intervals
 *   touching a window are found through the (ended, started) index (plus the open ones), so an alert that
 *   started before the window needs no look-back through the events; each interval becomes +1 in its first
 *   bucket and -1 after its last, summed per series and bucket in SQL (buildSeries adds them up).
 * - notifications per receiver count the `notification` events of the window through a partial index on
 *   (time, receiver, failed) that covers the query, so no event row (with its payload) is read.
 */
import type { HistoryEvent } from '../history/event';
import type { SeriesCell, SeriesQuery } from '../history/series';
import type { Statement } from 'better-sqlite3';
import type { DB } from './db';

/**
 * The history migration that adds the firing intervals (filled from the events already stored) and the
 * notification index, with a `failed` column (1 on a failed attempt) so that index covers the query.
 * (`"outcome":"failure"` with its quotes is never inside a JSON string value, where quotes are escaped.)
 */
export const FIRING_MIGRATION = `CREATE TABLE history_firing (
     id INTEGER PRIMARY KEY,
     fingerprint TEXT NOT NULL,
     alertname TEXT,
     labels TEXT,
     started INTEGER NOT NULL,
     ended INTEGER
   );
   CREATE INDEX history_firing_open ON history_firing (fingerprint) WHERE ended IS NULL;
   CREATE INDEX history_firing_ended ON history_firing (ended, started, alertname);
   INSERT INTO history_firing (fingerprint, alertname, labels, started, ended)
     SELECT c.fingerprint, c.alertname, c.labels, c.time,
            (SELECT MIN(r.time) FROM history r WHERE r.fingerprint = c.fingerprint AND r.kind = 'alert_resolved' AND r.time >= c.time)
       FROM history c WHERE c.kind = 'alert_created' AND c.fingerprint IS NOT NULL;
   ALTER TABLE history ADD COLUMN failed INTEGER;
   UPDATE history SET failed = 1 WHERE kind = 'notification' AND instr(data, '"outcome":"failure"') > 0;
   CREATE INDEX history_notification ON history (time, receiver, failed) WHERE kind = 'notification';`;

/** The `failed` column of an event. */
export function failedColumn(e: HistoryEvent): 1 | null {
  return e.kind === 'notification' && e.data?.outcome === 'failure' ? 1 : null;
}

export interface FiringIntervals {
  /** keeps the intervals up to date; call inside the append transaction, in event order */
  record(e: HistoryEvent, labelsJson: string | null): void;
  /** deletes the intervals that ended before `time` (retention) */
  deleteEndedBefore(time: number): void;
  /** the cells of a series query (see SeriesCell) */
  cells(q: SeriesQuery): SeriesCell[];
}

/** JSON path of a label (a label name needs no escaping but is quoted, as `$."name"`) */
function labelPath(name: string): string {
  return `$."${name.replace(/["\\]/g, '')}"`;
}

export function firingIntervals(db: DB): FiringIntervals {
  const isOpen = db.prepare('SELECT 1 FROM history_firing WHERE fingerprint = ? AND ended IS NULL');
  const open = db.prepare('INSERT INTO history_firing (fingerprint, alertname, labels, started) VALUES (?, ?, ?, ?)');
  const close = db.prepare('UPDATE history_firing SET ended = ? WHERE fingerprint = ? AND ended IS NULL');
  const deleteEnded = db.prepare('DELETE FROM history_firing WHERE ended < ?');
  const statements = new Map<string, Statement<unknown[]>>();
  function prepared(sql: string): Statement<unknown[]> {
    let st = statements.get(sql);
    if (!st) {
      st = db.prepare(sql);
      statements.set(sql, st);
    }
    return st;
  }

  function alertCells(q: SeriesQuery): SeriesCell[] {
    const series = q.by === 'alertname' ? 'alertname' : 'json_extract(labels, :path)';
    const sql = `SELECT s AS series, b AS bucket, SUM(d) AS value FROM (
        SELECT ${series} AS s, CASE WHEN started < :since THEN 0 ELSE CAST((started - :since) / :step AS INTEGER) END AS b, 1 AS d
          FROM history_firing WHERE (ended >= :since OR ended IS NULL) AND started < :until
        UNION ALL
        SELECT ${series} AS s, CAST((ended - :since) / :step AS INTEGER) + 1 AS b, -1 AS d
          FROM history_firing WHERE ended >= :since AND ended < :until AND started < :until
      ) GROUP BY s, b`;
    const args: Record<string, number | string> = { since: q.since, until: q.until, step: q.step };
    if (q.by !== 'alertname') args.path = labelPath(q.by);
    return prepared(sql).all(args) as SeriesCell[];
  }

  function notificationCells(q: SeriesQuery): SeriesCell[] {
    const sql = `SELECT receiver AS series, CAST((time - :since) / :step AS INTEGER) AS bucket, COUNT(*) AS value, COUNT(failed) AS failed
      FROM history INDEXED BY history_notification
      WHERE kind = 'notification' AND time >= :since AND time < :until GROUP BY receiver, bucket`;
    return prepared(sql).all({ since: q.since, until: q.until, step: q.step }) as SeriesCell[];
  }

  return {
    record(e, labelsJson) {
      if (e.fingerprint === undefined) return;
      if (e.kind === 'alert_created') {
        if (isOpen.get(e.fingerprint) === undefined) open.run(e.fingerprint, e.labels?.alertname ?? null, labelsJson, e.time);
      } else if (e.kind === 'alert_resolved') {
        close.run(e.time, e.fingerprint);
      }
    },
    deleteEndedBefore(time) {
      deleteEnded.run(time);
    },
    cells(q) {
      return q.kind === 'alerts' ? alertCells(q) : notificationCells(q);
    },
  };
}
