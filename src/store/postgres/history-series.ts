/**
 * @module store/postgres/history-series
 * The History chart's aggregations (src/history/series.ts) over the PostgreSQL history, the same cells as
 * SQLite's (src/store/history-series.ts) for the same events, each one statement:
 * - alerts firing read `history_firing` (migration 6, history-firing-schema.ts: one row per firing interval,
 *   an alert recorded by several replicas counted once): each interval touching the window is +1 in the bucket
 *   it starts in (0 when it started before) and -1 in the bucket after the one it ends in. By alertname the
 *   sums per series and bucket come out of SQL; by another label, one pass reads each interval's label (jsonb)
 *   once, grouped by series and the buckets it starts and ends in.
 * - notifications count the window's `notification` events per receiver and bucket through the covering
 *   partial index on (time, receiver, failed).
 */
import type pg from 'pg';
import type { SeriesCell, SeriesQuery } from '../../history/series';

/** $1 since, $2 until, $3 step */
const BY_ALERTNAME = `SELECT s AS series, b AS bucket, sum(d)::int AS value FROM (
    SELECT alertname AS s, CASE WHEN started < $1 THEN 0 ELSE ((started - $1) / $3)::int END AS b, 1 AS d
      FROM history_firing WHERE (ended >= $1 OR ended IS NULL) AND started < $2
    UNION ALL
    SELECT alertname, ((ended - $1) / $3)::int + 1, -1
      FROM history_firing WHERE ended >= $1 AND ended < $2 AND started < $2
  ) AS x GROUP BY s, b`;

/** $4 the label name */
const BY_LABEL = `SELECT labels ->> $4::text AS s,
    CASE WHEN started < $1 THEN 0 ELSE ((started - $1) / $3)::int END AS b0,
    CASE WHEN ended IS NULL OR ended >= $2 THEN -1 ELSE ((ended - $1) / $3)::int END AS b1,
    count(*)::int AS n
  FROM history_firing WHERE (ended >= $1 OR ended IS NULL) AND started < $2 GROUP BY 1, 2, 3`;

const NOTIFICATIONS = `SELECT receiver AS series, ((time - $1) / $3)::int AS bucket, count(*)::int AS value, (count(*) FILTER (WHERE failed))::int AS failed
  FROM history WHERE kind = 'notification' AND time >= $1 AND time < $2 GROUP BY 1, 2`;

export async function seriesCells(pool: pg.Pool, q: SeriesQuery): Promise<SeriesCell[]> {
  const args = [q.since, q.until, q.step];
  if (q.kind === 'notifications') return (await pool.query<SeriesCell>({ name: 'tocsin_series_notifications', text: NOTIFICATIONS, values: args })).rows;
  if (q.by === 'alertname') return (await pool.query<SeriesCell>({ name: 'tocsin_series_alertname', text: BY_ALERTNAME, values: args })).rows;
  const { rows } = await pool.query<{ s: string | null; b0: number; b1: number; n: number }>({ name: 'tocsin_series_label', text: BY_LABEL, values: [...args, q.by] });
  const cells: SeriesCell[] = [];
  for (const r of rows) {
    cells.push({ series: r.s, bucket: r.b0, value: r.n });
    if (r.b1 >= 0) cells.push({ series: r.s, bucket: r.b1 + 1, value: -r.n });
  }
  return cells;
}
