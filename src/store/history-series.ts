/**
 * @module store/history-series
 * The chart's aggregations over the SQLite history (src/history/series.ts), each one indexed query:
 * - alerts firing over time read `history_firing`, one row per firing interval of an alert (alert_created
 *   opens it, alert_resolved closes it), kept up to date in the history's append transaction. SQLite alone knows
 *   which intervals are open (a partial unique index on the fingerprint of the open ones), so nothing is read
 *   when the storage opens and a batch's writes need no look-up on the main thread. The intervals
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
import { type DB, migrate } from './db';

const HOUR = 3600_000;

/**
 * Fills the firing intervals, the failed column and the hourly counts from the events stored (the migration, and
 * the events moved from an older store's tocsin.db, see moveLegacyHistory). An interval no resolution ends ends
 * where its alert fired again (recorded twice without a resolution in between): at most one is open per alert.
 */
export const FIRING_BACKFILL = `INSERT INTO history_firing (fingerprint, alertname, labels, started, ended)
     SELECT c.fingerprint, c.alertname, jsonb(c.labels), c.time,
            COALESCE((SELECT MIN(r.time) FROM history r WHERE r.fingerprint = c.fingerprint AND r.kind = 'alert_resolved' AND r.time >= c.time),
                     (SELECT MIN(r.time) FROM history r WHERE r.fingerprint = c.fingerprint AND r.kind = 'alert_created' AND (r.time > c.time OR (r.time = c.time AND r.id > c.id))))
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

/** Rows for one statement: `values` flat, `width` per row (what the writer thread takes, see RowsRequest). */
export interface StatementRows {
  sql: string;
  width: number;
  values: unknown[];
}

export interface FiringIntervals {
  /**
   * the writes that keep the intervals and hourly counts up to date with `events` (in event order; `labelsAt(k)`:
   * event k's labels JSON), for the caller to run in the append transaction: on the thread after the events
   * (the main thread then does no SQLite work for them) or with run(). They are conditional in SQL (open an
   * interval unless one is open, end the open one if any), so planning needs no read.
   */
  plan(events: readonly HistoryEvent[], labelsAt: (k: number) => string | null): StatementRows[];
  /** runs planned writes on the main connection (inside the caller's transaction) */
  run(writes: readonly StatementRows[]): void;
  /** the append transaction failed: the ids plan() gave were not used */
  rolledBack(): void;
  /** the writes that delete the intervals that ended, and the hourly counts of hours that ended, before `time` (retention) */
  deleteEndedBefore(time: number): { sql: string; args: unknown[] }[];
  /** the cells of a series query (see SeriesCell) */
  cells(q: SeriesQuery): SeriesCell[];
}

/**
 * The 'history-firing' migrations (after the history's own, which made the table): the open intervals known to
 * SQLite. An alert's older open intervals (history from before the intervals: the previous release closed them
 * when it read the open ones at start) end where the next one started, then at most one interval per fingerprint
 * may be open. The trigger adds an interval's end to the hourly counts whoever ends it (a resolution that finds
 * no open interval changes nothing, so it counts nothing).
 */
const OPEN_MIGRATIONS = [
  `CREATE TRIGGER history_firing_closed AFTER UPDATE OF ended ON history_firing
     WHEN old.ended IS NULL AND new.ended IS NOT NULL
   BEGIN
     INSERT INTO history_hourly (kind, series, hour, a, b) VALUES ('firing', COALESCE(new.alertname, ''), CAST(new.ended / ${HOUR} AS INTEGER), 0, 1)
       ON CONFLICT (kind, hour, series) DO UPDATE SET b = b + 1;
   END;
   WITH o AS (SELECT id, lead(started) OVER (PARTITION BY fingerprint ORDER BY started, id) AS next FROM history_firing WHERE ended IS NULL)
   UPDATE history_firing SET ended = o.next FROM o WHERE history_firing.id = o.id AND o.next IS NOT NULL;
   CREATE UNIQUE INDEX history_firing_open ON history_firing (fingerprint) WHERE ended IS NULL;`,
];

/**
 * The writes plan() makes: an interval opened unless its alert has one open (with the id plan() gives it), the
 * open interval of an alert ended (the trigger counts it), the opened intervals' starts added to the hourly counts
 * (read back by id: the ones SQLite skipped are not there), an hourly count added.
 */
const OPEN =
  'INSERT INTO history_firing (id, fingerprint, alertname, labels, started) VALUES (?, ?, ?, jsonb(?), ?) ON CONFLICT (fingerprint) WHERE ended IS NULL DO NOTHING';
const END = 'UPDATE history_firing INDEXED BY history_firing_open SET ended = ? WHERE fingerprint = ? AND ended IS NULL';
const COUNT_OPENED = `INSERT INTO history_hourly (kind, series, hour, a, b)
  SELECT 'firing', COALESCE(alertname, ''), CAST(started / ${HOUR} AS INTEGER), COUNT(*), 0 FROM history_firing WHERE id >= ? AND id < ? GROUP BY 2, 3
  ON CONFLICT (kind, hour, series) DO UPDATE SET a = a + excluded.a`;
const ADD_HOURLY =
  'INSERT INTO history_hourly (kind, series, hour, a, b) VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, hour, series) DO UPDATE SET a = a + excluded.a, b = b + excluded.b';

/** JSON path of a label (a label name needs no escaping but is quoted, as `$."name"`) */
function labelPath(name: string): string {
  return `$."${name.replace(/["\\]/g, '')}"`;
}

/**
 * What tocsin_series_tally(label, started, ended) does with each interval of the chart query running now (SQLite
 * calls it synchronously while the statement runs; one statement at a time on a thread).
 */
let tally: ((series: string | null, started: number, ended: number | null) => void) | undefined;

export function firingIntervals(db: DB): FiringIntervals {
  db.function('tocsin_series_tally', { deterministic: false }, (series, started, ended) => {
    tally?.(series as string | null, started as number, ended as number | null);
    return null;
  });
  migrate(db, 'history-firing', OPEN_MIGRATIONS);
  const oldestEvent = db.prepare('SELECT MIN(time) AS t FROM history');
  const lastId = db.prepare('SELECT MAX(id) AS m FROM history_firing');
  /** the id the next opened interval gets (only this storage writes the table); one index look-up, no scan */
  let nextId = 1;
  const readNextId = () => {
    nextId = ((lastId.get() as { m: number | null }).m ?? 0) + 1;
  };
  readNextId();
  const runners = new Map<string, Statement<unknown[]>>();
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
   * per series and bucket. By another label, one pass reads each interval's label once and tallies its +1 and -1
   * per series and bucket in a callback (tocsin_series_tally).
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
    // the intervals are tallied as SQLite reads them (a GROUP BY would sort every interval by a text key: twice
    // the time), into an array per series (a Map per series took a sixth more); a window reaching back to the
    // oldest event reads the whole table in its order, not by the index
    const whole = q.since <= ((oldestEvent.get() as { t: number | null }).t ?? q.since);
    const byLabel = prepared(`SELECT COUNT(tocsin_series_tally(json_extract(labels, :path), started, ended)) AS n
        FROM history_firing ${whole ? 'NOT INDEXED' : ''} WHERE (ended >= :since OR ended IS NULL) AND started < :until`);
    /** per series: the change in the number firing, by bucket (the last one: after the window) */
    const bySeries = new Map<string | null, Int32Array>();
    const size = Math.ceil((q.until - q.since) / q.step) + 1;
    tally = (series, started, ended) => {
      let m = bySeries.get(series);
      if (m === undefined) {
        m = new Int32Array(size);
        bySeries.set(series, m);
      }
      m[started < q.since ? 0 : Math.floor((started - q.since) / q.step)]! += 1;
      if (ended !== null && ended < q.until) m[Math.floor((ended - q.since) / q.step) + 1]! -= 1;
    };
    try {
      byLabel.get({ ...args, path: labelPath(q.by) });
    } finally {
      tally = undefined;
    }
    const cells: SeriesCell[] = [];
    for (const [series, m] of bySeries) {
      for (let bucket = 0; bucket < size; bucket++) if (m[bucket] !== 0) cells.push({ series, bucket, value: m[bucket]! });
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
    plan(events, labelsAt) {
      const writes: StatementRows[] = [];
      /** the statement being filled: a run of opens or of ends, in event order (an alert may end and open again) */
      let current: StatementRows | undefined;
      const push = (sql: string, width: number, ...values: unknown[]) => {
        if (current?.sql !== sql) {
          current = { sql, width, values: [] };
          writes.push(current);
        }
        current.values.push(...values);
      };
      const firstId = nextId;
      /** the batch's notification counts (a batch touches few hours and receivers) */
      const hourly = new Map<string, unknown[]>();
      events.forEach((e, k) => {
        if (e.kind === 'notification') {
          if (e.receiver === undefined) return;
          const hour = Math.floor(e.time / HOUR);
          const key = `${hour}\u0000${e.receiver}`;
          const failed = e.data?.outcome === 'failure' ? 1 : 0;
          const row = hourly.get(key);
          if (row) {
            (row[3] as number) += 1;
            (row[4] as number) += failed;
          } else hourly.set(key, ['notification', e.receiver, hour, 1, failed]);
          return;
        }
        if (e.fingerprint === undefined) return;
        if (e.kind === 'alert_created') push(OPEN, 5, nextId++, e.fingerprint, e.labels?.alertname ?? null, labelsAt(k), e.time);
        else if (e.kind === 'alert_resolved') push(END, 2, e.time, e.fingerprint);
      });
      if (nextId > firstId) writes.push({ sql: COUNT_OPENED, width: 2, values: [firstId, nextId] });
      if (hourly.size > 0) writes.push({ sql: ADD_HOURLY, width: 5, values: [...hourly.values()].flat() });
      return writes;
    },
    run(writes) {
      for (const w of writes) {
        let st = runners.get(w.sql);
        if (!st) {
          st = db.prepare(w.sql);
          runners.set(w.sql, st);
        }
        for (let i = 0; i < w.values.length; i += w.width) st.run(w.values.slice(i, i + w.width));
      }
    },
    rolledBack() {
      readNextId();
    },
    deleteEndedBefore(time) {
      return [
        { sql: 'DELETE FROM history_firing WHERE ended < ?', args: [time] },
        { sql: 'DELETE FROM history_hourly WHERE hour < ?', args: [Math.floor(time / HOUR)] },
      ];
    },
    cells(q) {
      // whole-hour buckets (since is a multiple of step) read the hourly counts
      const hourly = q.step % HOUR === 0 && q.since % HOUR === 0;
      if (q.kind === 'notifications') return hourly ? notificationCellsHourly(q) : notificationCells(q);
      return hourly && q.by === 'alertname' ? alertCellsHourly(q) : alertCells(q);
    },
  };
}
