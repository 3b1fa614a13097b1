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
 * - whole-hour buckets (the default step of windows over 2.5 d) by alertname or receiver add up `history_hourly`
 *   instead (plus, for alerts, the intervals running at the window's start), as SQLite does.
 * Parameters are cast to bigint: epoch ms do not fit PostgreSQL's inferred integer.
 */
import type pg from 'pg';
import type { SeriesCell, SeriesQuery } from '../../history/series';
import { HOUR } from './history-firing-schema';

/** $1 since, $2 until, $3 step */
const BY_ALERTNAME = `SELECT s AS series, b AS bucket, sum(d)::int AS value FROM (
    SELECT alertname AS s, CASE WHEN started < $1::bigint THEN 0 ELSE ((started - $1::bigint) / $3::bigint)::int END AS b, 1 AS d
      FROM history_firing WHERE (ended >= $1::bigint OR ended IS NULL) AND started < $2::bigint
    UNION ALL
    SELECT alertname, ((ended - $1::bigint) / $3::bigint)::int + 1, -1
      FROM history_firing WHERE ended >= $1::bigint AND ended < $2::bigint AND started < $2::bigint
  ) AS x GROUP BY s, b`;

/** $4 the label name */
const BY_LABEL = `SELECT (labels ->> $4::text) COLLATE "C" AS s,
    CASE WHEN started < $1::bigint THEN 0 ELSE ((started - $1::bigint) / $3::bigint)::int END AS b0,
    CASE WHEN ended IS NULL OR ended >= $2::bigint THEN -1 ELSE ((ended - $1::bigint) / $3::bigint)::int END AS b1,
    count(*)::int AS n
  FROM history_firing WHERE (ended >= $1::bigint OR ended IS NULL) AND started < $2::bigint GROUP BY 1, 2, 3`;

/** whole-hour buckets: the alerts firing at since ($1), then each hour's starts and ends ($2 until, $3 step) */
const BY_ALERTNAME_HOURLY = `SELECT coalesce(alertname, '') AS series, 0 AS bucket, count(*)::int AS value, NULL::int AS b
    FROM history_firing WHERE started < $1::bigint AND (ended >= $1::bigint OR ended IS NULL) GROUP BY 1
  UNION ALL
  SELECT series, ((hour * ${HOUR} - $1::bigint) / $3::bigint)::int, sum(a)::int, sum(b)::int
    FROM history_hourly WHERE kind = 'firing' AND hour >= $1::bigint / ${HOUR} AND hour < $2::bigint / ${HOUR} GROUP BY 1, 2`;

const NOTIFICATIONS_HOURLY = `SELECT series, ((hour * ${HOUR} - $1::bigint) / $3::bigint)::int AS bucket, sum(a)::int AS value, sum(b)::int AS failed
  FROM history_hourly WHERE kind = 'notification' AND hour >= $1::bigint / ${HOUR} AND hour < $2::bigint / ${HOUR} GROUP BY 1, 2`;

const NOTIFICATIONS = `SELECT receiver AS series, ((time - $1::bigint) / $3::bigint)::int AS bucket, count(*)::int AS value, (count(*) FILTER (WHERE failed))::int AS failed
  FROM history WHERE kind = 'notification' AND time >= $1::bigint AND time < $2::bigint GROUP BY 1, 2`;

export async function seriesCells(pool: pg.Pool, q: SeriesQuery): Promise<SeriesCell[]> {
  const args = [q.since, q.until, q.step];
  // whole-hour buckets (since is a multiple of step) read the hourly counts
  const hourly = q.step % HOUR === 0 && q.since % HOUR === 0;
  if (q.kind === 'notifications') {
    if (hourly) return (await pool.query<SeriesCell>({ name: 'tocsin_series_notifications_hourly', text: NOTIFICATIONS_HOURLY, values: args })).rows;
    return (await pool.query<SeriesCell>({ name: 'tocsin_series_notifications', text: NOTIFICATIONS, values: args })).rows;
  }
  if (hourly && q.by === 'alertname') {
    const { rows } = await pool.query<{ series: string; bucket: number; value: number; b: number | null }>({ name: 'tocsin_series_alertname_hourly', text: BY_ALERTNAME_HOURLY, values: args });
    const cells: SeriesCell[] = [];
    for (const r of rows) {
      if (r.value !== 0) cells.push({ series: r.series, bucket: r.bucket, value: r.value });
      if (r.b) cells.push({ series: r.series, bucket: r.bucket + 1, value: -r.b });
    }
    return cells;
  }
  if (q.by === 'alertname') return (await pool.query<SeriesCell>({ name: 'tocsin_series_alertname', text: BY_ALERTNAME, values: args })).rows;
  const { rows } = await pool.query<{ s: string | null; b0: number; b1: number; n: number }>({ name: 'tocsin_series_label', text: BY_LABEL, values: [...args, q.by] });
  const cells: SeriesCell[] = [];
  for (const r of rows) {
    cells.push({ series: r.s, bucket: r.b0, value: r.n });
    if (r.b1 >= 0) cells.push({ series: r.s, bucket: r.b1 + 1, value: -r.n });
  }
  return cells;
}
