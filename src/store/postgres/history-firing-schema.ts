/**
 * @module store/postgres/history-firing-schema
 * Migration 6: what the History chart (src/history/series.ts; queries in history-series.ts) reads on PostgreSQL.
 * - `history_firing`: one row per firing interval of an alert, from an `alert_created` to the next
 *   `alert_resolved` of its fingerprint. Kept by a statement trigger on `history`, so every INSERT (this
 *   release's replicas, a replica of the previous release during a rolling upgrade, `tocsinctl storage copy`)
 *   keeps it right in its own transaction.
 * - Several replicas write one history, and each records the alerts it receives: Prometheus sends every alert to
 *   every replica, so one alert has an `alert_created` (and an `alert_resolved`) from each. The intervals are a
 *   function of the events alone, taken in (time, id) order per fingerprint: a created event opens an interval
 *   unless one is open, a resolved event closes the open one, others are ignored. So an alert recorded by two
 *   replicas is one interval, whatever order their batches commit in. For events in time order this is exactly
 *   SQLite's rule (src/store/history-series.ts, insertion order).
 * - The trigger redoes the intervals of each fingerprint in the batch from the batch's earliest event of it
 *   (usually only the open interval and the new events), under a row lock on `history_alerts` (one row per
 *   fingerprint, taken in fingerprint order so concurrent writers never deadlock): the rebuild's statement
 *   starts after the lock, so it sees every event committed by the writers before.
 * - `history_hourly`: per hour, the intervals started and ended by alertname and the attempts and failed ones by
 *   receiver, kept by the same trigger (the rebuild adds the new intervals and takes the redone ones away), so a
 *   chart in whole-hour buckets adds up at most 24 rows per series and day, as SQLite's `history_hourly`.
 * - `failed`: true on a failed notification attempt (the writer sets it; the trigger fills it from the payload
 *   for writers that do not), so the per-receiver counts read one covering partial index.
 */

export const HOUR = 3600_000;

/**
 * From `ev` (fp, time, id, kind, alertname, labels: an alert's created and resolved events), `edges`: the first
 * event of each run of one kind, per alert in (time, id) order, with the time of the next such edge. Edges
 * alternate: a created one opens an interval (until `next`, or open), a resolved one closes it.
 */
const EDGES = `runs AS (
    SELECT *, lag(kind) OVER (PARTITION BY fp ORDER BY time, id) AS prev FROM ev
  ), edges AS (
    SELECT *, lead(time) OVER (PARTITION BY fp ORDER BY time, id) AS next FROM runs WHERE prev IS DISTINCT FROM kind
  ),`;

/** Redoes the firing intervals of the fingerprints `p_fps` from their times `p_from` on (see the module comment). */
const REBUILD = `
CREATE FUNCTION tocsin_history_rebuild_firing(p_fps text[], p_from bigint[], p_last bigint[]) RETURNS void
LANGUAGE plpgsql VOLATILE
-- per-fingerprint look-ups through the indexes, always: a growing table whose statistics lag (or a planner that
-- misjudges the arrays) must never turn a batch into a scan of the whole history
SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off SET enable_bitmapscan = off
AS $$
BEGIN
  INSERT INTO history_alerts AS a (fingerprint, last_time)
    SELECT f, t FROM unnest(p_fps, p_last) AS r(f, t) ORDER BY f
    ON CONFLICT (fingerprint) DO UPDATE SET last_time = GREATEST(a.last_time, excluded.last_time);
  -- a new statement, a new snapshot: the writers that held these locks before have committed
  WITH req AS (
    SELECT f AS fp, t AS t0 FROM unnest(p_fps, p_from) AS r(f, t)
  ), running AS (
    -- the interval running into t0 (started before it): replayed from its start
    SELECT req.fp, i.started AS time, 0::bigint AS id, 'alert_created'::text AS kind, i.alertname, i.labels
    FROM req CROSS JOIN LATERAL (
      SELECT started, alertname, labels FROM history_firing i
      WHERE i.fingerprint = req.fp AND i.started < req.t0 AND (i.ended IS NULL OR i.ended >= req.t0)
      ORDER BY i.started DESC LIMIT 1) AS i
  ), ev AS (
    SELECT * FROM running
    UNION ALL
    -- (OFFSET 0: one index look-up per fingerprint, never a join over all the alert events)
    SELECT req.fp, h.time, h.id, h.kind, h.alertname, h.labels::jsonb
    FROM req CROSS JOIN LATERAL (
      SELECT time, id, kind, alertname, labels FROM history h
      WHERE h.fingerprint = req.fp AND h.time >= req.t0 AND h.kind IN ('alert_created', 'alert_resolved')
      OFFSET 0) AS h
  ), ${EDGES} gone AS (
    DELETE FROM history_firing i USING req
    WHERE i.fingerprint = req.fp AND (i.ended IS NULL OR i.ended >= req.t0)
    RETURNING i.alertname, i.started, i.ended
  ), born AS (
    INSERT INTO history_firing (fingerprint, alertname, labels, started, ended)
    SELECT fp, alertname, labels, time, next FROM edges WHERE kind = 'alert_created'
    RETURNING alertname, started, ended
  ), delta AS (
    -- the hourly starts (a) and ends (b) by alertname, less the intervals redone, plus the new ones
    SELECT coalesce(alertname, '') AS s, started / ${HOUR} AS h, 1 AS a, 0 AS b FROM born
    UNION ALL SELECT coalesce(alertname, ''), ended / ${HOUR}, 0, 1 FROM born WHERE ended IS NOT NULL
    UNION ALL SELECT coalesce(alertname, ''), started / ${HOUR}, -1, 0 FROM gone
    UNION ALL SELECT coalesce(alertname, ''), ended / ${HOUR}, 0, -1 FROM gone WHERE ended IS NOT NULL
  )
  INSERT INTO history_hourly AS x (kind, hour, series, a, b)
  SELECT 'firing', h, s, sum(a), sum(b) FROM delta GROUP BY h, s HAVING sum(a) <> 0 OR sum(b) <> 0 ORDER BY h, s
  ON CONFLICT (kind, hour, series) DO UPDATE SET a = x.a + excluded.a, b = x.b + excluded.b;
END $$;
`;

const TRIGGER = `
CREATE FUNCTION tocsin_history_inserted() RETURNS trigger
LANGUAGE plpgsql VOLATILE SET enable_seqscan = off AS $$
DECLARE
  fps text[];
  froms bigint[];
  lasts bigint[];
BEGIN
  -- notification events from a writer that does not set failed (a replica of the previous release)
  IF EXISTS (SELECT FROM new_rows WHERE kind = 'notification' AND failed IS NULL) THEN
    UPDATE history SET failed = strpos(data, '"outcome":"failure"') > 0
      WHERE id = ANY(ARRAY(SELECT id FROM new_rows WHERE kind = 'notification' AND failed IS NULL)) AND data IS NOT NULL;
  END IF;
  SELECT array_agg(f ORDER BY f), array_agg(t0 ORDER BY f), array_agg(t1 ORDER BY f) INTO fps, froms, lasts
  FROM (SELECT fingerprint AS f, min(time) AS t0, max(time) AS t1 FROM new_rows
        WHERE kind IN ('alert_created', 'alert_resolved') AND fingerprint IS NOT NULL GROUP BY fingerprint) AS x;
  IF fps IS NOT NULL THEN
    PERFORM tocsin_history_rebuild_firing(fps, froms, lasts);
  END IF;
  -- the hourly attempts (a) and failed ones (b) by receiver; rows locked in key order, after the alerts' locks
  INSERT INTO history_hourly AS x (kind, hour, series, a, b)
  SELECT 'notification', time / ${HOUR}, receiver, count(*), count(*) FILTER (WHERE coalesce(failed, strpos(data, '"outcome":"failure"') > 0))
  FROM new_rows WHERE kind = 'notification' AND receiver IS NOT NULL GROUP BY 2, 3 ORDER BY 2, 3
  ON CONFLICT (kind, hour, series) DO UPDATE SET a = x.a + excluded.a, b = x.b + excluded.b;
  RETURN NULL;
END $$;
CREATE TRIGGER history_inserted AFTER INSERT ON history REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION tocsin_history_inserted();
`;

export const HISTORY_FIRING_MIGRATION = {
  name: 'history: firing intervals and failed notifications for the History chart',
  sql: `
ALTER TABLE history ADD COLUMN failed boolean;
UPDATE history SET failed = strpos(data, '"outcome":"failure"') > 0 WHERE kind = 'notification' AND data IS NOT NULL;
CREATE INDEX history_notification ON history (time, receiver, failed) WHERE kind = 'notification';

CREATE TABLE history_firing (
  fingerprint text NOT NULL,
  alertname text COLLATE "C",
  labels jsonb,
  started bigint NOT NULL,
  ended bigint
);
CREATE INDEX history_firing_ended ON history_firing (ended, started) INCLUDE (alertname);
CREATE INDEX history_firing_started ON history_firing (started) INCLUDE (ended, alertname);
CREATE INDEX history_firing_fingerprint ON history_firing (fingerprint, started);

-- per hour and series: intervals started (a) and ended (b) by alertname ('firing'), attempts (a) and failed ones
-- (b) by receiver ('notification'); charts in whole hours add these up instead of reading every interval or event
-- (series and alertnames in the "C" collation: the charts group by them, byte order is all they need)
CREATE TABLE history_hourly (
  kind text NOT NULL,
  hour bigint NOT NULL,
  series text COLLATE "C" NOT NULL,
  a bigint NOT NULL,
  b bigint NOT NULL,
  PRIMARY KEY (kind, hour, series)
);

-- one row per fingerprint with alert events: the lock a rebuild of its intervals takes, and its latest event
CREATE TABLE history_alerts (
  fingerprint text PRIMARY KEY,
  last_time bigint NOT NULL
);
CREATE INDEX history_alerts_last_time ON history_alerts (last_time);
${REBUILD}
${TRIGGER}
-- the intervals and hourly counts of the events already stored, in one pass over them (the migration holds the
-- table: no writer runs meanwhile)
INSERT INTO history_alerts (fingerprint, last_time)
SELECT fingerprint, max(time) FROM history WHERE kind IN ('alert_created', 'alert_resolved') AND fingerprint IS NOT NULL GROUP BY 1;
WITH ev AS (
  SELECT fingerprint AS fp, time, id, kind, alertname, labels FROM history
  WHERE kind IN ('alert_created', 'alert_resolved') AND fingerprint IS NOT NULL
), ${EDGES} born AS (
  INSERT INTO history_firing (fingerprint, alertname, labels, started, ended)
  SELECT fp, alertname, labels::jsonb, time, next FROM edges WHERE kind = 'alert_created'
  RETURNING alertname, started, ended
)
INSERT INTO history_hourly (kind, hour, series, a, b)
SELECT 'firing', h, s, sum(a), sum(b) FROM (
  SELECT coalesce(alertname, '') AS s, started / ${HOUR} AS h, 1 AS a, 0 AS b FROM born
  UNION ALL SELECT coalesce(alertname, ''), ended / ${HOUR}, 0, 1 FROM born WHERE ended IS NOT NULL
) AS d GROUP BY h, s;
INSERT INTO history_hourly (kind, hour, series, a, b)
SELECT 'notification', time / ${HOUR}, receiver, count(*), count(*) FILTER (WHERE failed)
FROM history WHERE kind = 'notification' AND receiver IS NOT NULL GROUP BY 2, 3;
`,
} as const;
