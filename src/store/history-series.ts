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
 * - whole-hour buckets (the default step of windows over 2.5 d) read `history_hourly` instead: per hour and
 *   series, the intervals started and ended (by alertname) and the attempts and failed ones (by receiver),
 *   added up in the append transaction. A 14 d window then sums at most 336 rows per series, however many
 *   events it holds; stacking by another label always reads the intervals.
 */
import type { HistoryEvent } from '../history/event';
import type { SeriesCell, SeriesQuery } from '../history/series';
import type { Statement } from 'better-sqlite3';
import type { DB } from './db';

const HOUR = 3600_000;

/** Fills the firing intervals, the failed column and the hourly counts from the events stored (the migration, and
 * the events moved from an older store's tocsin.db, see moveLegacyHistory). */
export const FIRING_BACKFILL = `INSERT INTO history_firing (fingerprint, alertname, labels, started, ended)
     SELECT c.fingerprint, c.alertname, jsonb(c.labels), c.time,
            (SELECT MIN(r.time) FROM history r WHERE r.fingerprint = c.fingerprint AND r.kind = 'alert_resolved' AND r.time >= c.time)
       FROM history c WHERE c.kind = 'alert_created' AND c.fingerprint IS NOT NULL;
   UPDATE history SET failed = 1 WHERE kind = 'notification' AND instr(data, '"outcome":"failure"') > 0;
   INSERT INTO history_hourly (kind, series, hour, a, b)
     SELECT 'firing', s, h, SUM(a), SUM(b) FROM (
       SELECT COALESCE(alertname, '') AS s, started / ${HOUR} AS h, 1 AS a, 0 AS b FROM history_firing
       UNION ALL
       SELECT COALESCE(alertname, ''), ended / ${HOUR}, 0, 1 FROM history_firing WHERE ended IS NOT NULL
     ) GROUP BY s, h;
   INSERT INTO history_hourly (kind, series, hour, a, b)
     SELECT 'notification', receiver, time / ${HOUR}, COUNT(*), COUNT(failed) FROM history WHERE kind = 'notification' GROUP BY receiver, time / ${HOUR};`;

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
   CREATE INDEX history_firing_ended ON history_firing (ended, started, alertname);
   ALTER TABLE history ADD COLUMN failed INTEGER;
   CREATE INDEX history_notification ON history (time, receiver, failed) WHERE kind = 'notification';
   CREATE TABLE history_hourly (
     kind TEXT NOT NULL,
     series TEXT NOT NULL,
     hour INTEGER NOT NULL,
     a INTEGER NOT NULL,
     b INTEGER NOT NULL,
     PRIMARY KEY (kind, hour, series)
   ) WITHOUT ROWID;
   ${FIRING_BACKFILL}`;

/** The `failed` column of an event. */
export function failedColumn(e: HistoryEvent): 1 | null {
  return e.kind === 'notification' && e.data?.outcome === 'failure' ? 1 : null;
}

export interface FiringIntervals {
  /** keeps the intervals and hourly counts up to date; call inside the append transaction, in event order */
  record(e: HistoryEvent, labelsJson: string | null): void;
  /** writes the hourly counts gathered by record(); call at the end of the append transaction */
  flush(): void;
  /** the append transaction failed: forget what record() gathered */
  rolledBack(): void;
  /** deletes the intervals that ended, and the hourly counts of hours that ended, before `time` (retention) */
  deleteEndedBefore(time: number): void;
  /** the cells of a series query (see SeriesCell) */
  cells(q: SeriesQuery): SeriesCell[];
}

/** JSON path of a label (a label name needs no escaping but is quoted, as `$."name"`) */
function labelPath(name: string): string {
  return `$."${name.replace(/["\\]/g, '')}"`;
}

/** An hourly count's row: starts and ends (firing), attempts and failed (notification). */
interface Hourly {
  kind: 'firing' | 'notification';
  series: string;
  hour: number;
  a: number;
  b: number;
}

export function firingIntervals(db: DB): FiringIntervals {
  const openRows = db.prepare('SELECT id, fingerprint, alertname, started FROM history_firing WHERE ended IS NULL ORDER BY started, id');
  const endAt = db.prepare('UPDATE history_firing SET ended = ? WHERE id = ?');
  /**
   * the open intervals by fingerprint (as many as alerts firing), so recording needs no look-up: created opens
   * one unless open, resolved closes it by id
   */
  const openNow = new Map<string, { id: number; alertname: string }>();
  /**
   * openNow holds the open intervals read from the file: read on first use rather than at construction, so a
   * start with many alerts firing (100k: ~0.4 s of SQLite reading the intervals) is not held up by it
   */
  let loaded = false;
  function load(): void {
    if (loaded) return;
    loaded = true;
    openNow.clear();
    for (const r of openRows.all() as { id: number; fingerprint: string; alertname: string | null; started: number }[]) {
      // an older open interval of the same alert (history from before the intervals existed) ended when it fired again
      const older = openNow.get(r.fingerprint);
      if (older) endAt.run(r.started, older.id);
      openNow.set(r.fingerprint, { id: r.id, alertname: r.alertname ?? '' });
    }
  }
  // labels as JSONB: a chart stacked by a label reads it from every interval, and JSONB needs no parsing
  const open = db.prepare('INSERT INTO history_firing (fingerprint, alertname, labels, started) VALUES (?, ?, jsonb(?), ?)');
  const deleteEnded = db.prepare('DELETE FROM history_firing WHERE ended < ?');
  const deleteHours = db.prepare('DELETE FROM history_hourly WHERE hour < ?');
  const addHourly = db.prepare(
    'INSERT INTO history_hourly (kind, series, hour, a, b) VALUES (@kind, @series, @hour, @a, @b) ON CONFLICT (kind, hour, series) DO UPDATE SET a = a + excluded.a, b = b + excluded.b',
  );
  /** this transaction's hourly counts, written by flush() (a batch touches few hours and series) */
  const pending = new Map<string, Hourly>();
  function count(kind: Hourly['kind'], series: string, time: number, a: number, b: number): void {
    const hour = Math.floor(time / HOUR);
    const key = `${kind}\u0000${hour}\u0000${series}`;
    const row = pending.get(key);
    if (row) {
      row.a += a;
      row.b += b;
    } else pending.set(key, { kind, series, hour, a, b });
  }
  const statements = new Map<string, Statement<unknown[]>>();
  function prepared(sql: string): Statement<unknown[]> {
    let st = statements.get(sql);
    if (!st) {
      st = db.prepare(sql);
      statements.set(sql, st);
    }
    return st;
  }

  /**
   * cells from the intervals themselves (any step, any label). By alertname (in the index): +1 in the
   * bucket an interval starts in (0 when before the window), -1 in the bucket after the one it ends in, summed
   * per series and bucket. By another label, one pass reads each interval's label once, grouped by series and
   * the buckets the interval starts and ends in (-1: open past the window), each group then +n and -n.
   */
  function alertCells(q: SeriesQuery): SeriesCell[] {
    const args = { since: q.since, until: q.until, step: q.step };
    if (q.by === 'alertname') {
      const byName = prepared(`SELECT s AS series, b AS bucket, SUM(d) AS value FROM (
          SELECT alertname AS s, CASE WHEN started < :since THEN 0 ELSE CAST((started - :since) / :step AS INTEGER) END AS b, 1 AS d
            FROM history_firing WHERE (ended >= :since OR ended IS NULL) AND started < :until
          UNION ALL
          SELECT alertname AS s, CAST((ended - :since) / :step AS INTEGER) + 1 AS b, -1 AS d
            FROM history_firing WHERE ended >= :since AND ended < :until AND started < :until
        ) GROUP BY s, b`);
      return byName.all(args) as SeriesCell[];
    }
    const byLabel = prepared(`SELECT json_extract(labels, :path) AS s,
          CASE WHEN started < :since THEN 0 ELSE CAST((started - :since) / :step AS INTEGER) END AS b0,
          CASE WHEN ended IS NULL OR ended >= :until THEN -1 ELSE CAST((ended - :since) / :step AS INTEGER) END AS b1,
          COUNT(*) AS n
        FROM history_firing WHERE (ended >= :since OR ended IS NULL) AND started < :until GROUP BY s, b0, b1`);
    const cells: SeriesCell[] = [];
    for (const r of byLabel.all({ ...args, path: labelPath(q.by) }) as { s: string | null; b0: number; b1: number; n: number }[]) {
      cells.push({ series: r.s, bucket: r.b0, value: r.n });
      if (r.b1 >= 0) cells.push({ series: r.s, bucket: r.b1 + 1, value: -r.n });
    }
    return cells;
  }

  /**
   * the same cells by alertname from the hourly counts (steps of whole hours): the alerts firing at since
   * (+n in bucket 0) from the intervals, then each bucket's starts (+) and ends (- in the next bucket)
   */
  function alertCellsHourly(q: SeriesQuery): SeriesCell[] {
    const firing = prepared(`SELECT COALESCE(alertname, '') AS series, 0 AS bucket, COUNT(*) AS value
        FROM history_firing WHERE (ended >= :since OR ended IS NULL) AND started < :since GROUP BY series`);
    const counts = prepared(`SELECT series, CAST((hour * ${HOUR} - :since) / :step AS INTEGER) AS bucket, SUM(a) AS a, SUM(b) AS b
        FROM history_hourly WHERE kind = 'firing' AND hour >= :h0 AND hour < :h1 GROUP BY series, bucket`);
    const cells = firing.all({ since: q.since }) as SeriesCell[];
    for (const r of counts.all({ since: q.since, step: q.step, h0: q.since / HOUR, h1: q.until / HOUR }) as { series: string; bucket: number; a: number; b: number }[]) {
      if (r.a > 0) cells.push({ series: r.series, bucket: r.bucket, value: r.a });
      if (r.b > 0) cells.push({ series: r.series, bucket: r.bucket + 1, value: -r.b });
    }
    return cells;
  }

  function notificationCells(q: SeriesQuery): SeriesCell[] {
    const sql = `SELECT receiver AS series, CAST((time - :since) / :step AS INTEGER) AS bucket, COUNT(*) AS value, COUNT(failed) AS failed
      FROM history INDEXED BY history_notification
      WHERE kind = 'notification' AND time >= :since AND time < :until GROUP BY receiver, bucket`;
    return prepared(sql).all({ since: q.since, until: q.until, step: q.step }) as SeriesCell[];
  }

  function notificationCellsHourly(q: SeriesQuery): SeriesCell[] {
    const sql = `SELECT series, CAST((hour * ${HOUR} - :since) / :step AS INTEGER) AS bucket, SUM(a) AS value, SUM(b) AS failed
      FROM history_hourly WHERE kind = 'notification' AND hour >= :h0 AND hour < :h1 GROUP BY series, bucket`;
    return prepared(sql).all({ since: q.since, step: q.step, h0: q.since / HOUR, h1: q.until / HOUR }) as SeriesCell[];
  }

  return {
    record(e, labelsJson) {
      if (e.kind === 'notification') {
        if (e.receiver !== undefined) count('notification', e.receiver, e.time, 1, e.data?.outcome === 'failure' ? 1 : 0);
        return;
      }
      if (e.fingerprint === undefined) return;
      load();
      if (e.kind === 'alert_created') {
        if (!openNow.has(e.fingerprint)) {
          const alertname = e.labels?.alertname ?? '';
          const id = Number(open.run(e.fingerprint, e.labels?.alertname ?? null, labelsJson, e.time).lastInsertRowid);
          openNow.set(e.fingerprint, { id, alertname });
          count('firing', alertname, e.time, 1, 0);
        }
      } else if (e.kind === 'alert_resolved') {
        const o = openNow.get(e.fingerprint);
        if (o) {
          endAt.run(e.time, o.id);
          openNow.delete(e.fingerprint);
          count('firing', o.alertname, e.time, 0, 1);
        }
      }
    },
    flush() {
      for (const row of pending.values()) addHourly.run(row);
      pending.clear();
    },
    rolledBack() {
      pending.clear();
      loaded = false;
    },
    deleteEndedBefore(time) {
      load();
      deleteEnded.run(time);
      deleteHours.run(Math.floor(time / HOUR));
    },
    cells(q) {
      load(); // ends the older open intervals of an alert first (see load)
      // whole-hour buckets (since is a multiple of step) read the hourly counts
      const hourly = q.step % HOUR === 0 && q.since % HOUR === 0;
      if (q.kind === 'notifications') return hourly ? notificationCellsHourly(q) : notificationCells(q);
      return hourly && q.by === 'alertname' ? alertCellsHourly(q) : alertCells(q);
    },
  };
}
