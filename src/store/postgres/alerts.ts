/**
 * @module store/postgres/alerts
 * The shared alert store on PostgreSQL. merge() is one round trip for a whole batch: a multi-row
 * INSERT ... SELECT FROM unnest(arrays) ON CONFLICT DO UPDATE whose update applies upstream's merge rule
 * (SQL function tocsin_merge_alert) to the STORED row under its row lock. So when Prometheus sends the
 * same alert to three replicas, the three merges apply one after another to the one row, in whatever order,
 * and the replicas read back the same result. Rows are written in fingerprint order, so two batches that
 * share fingerprints lock them in the same order (no deadlock).
 *
 * changesSince() is the change feed a replica polls to learn of alerts stored by the others (e.g. an
 * `amtool alert add` sent to one replica only): every write records its transaction id (xid8), and the
 * cursor is the reading snapshot's xmin, so a row committed late by a transaction that began early is
 * still read on the next poll (a row may be read twice; never missed).
 */
import { ReplicaStore } from './replica-store';
import type { Alert } from '../../types/alert';
import { mergeWithinBatch } from '../alert-merge';
import type { AlertStorage } from '../storage';

interface Row {
  fingerprint: string;
  labels: string;
  annotations: string;
  starts_at: number;
  ends_at: number;
  updated_at: number;
  generator_url: string;
  timeout: boolean;
}

interface SyncRow extends Row {
  /** sync(): this statement wrote the row */
  written?: boolean;
  /** sync(): the row differs from the alert sent (else its text columns are null) */
  differs?: boolean;
}

export interface SyncResult {
  /** the alerts this call stored, as stored */
  written: Alert[];
  /** merged alerts that differ from the ones sent (another replica stored something newer) */
  newer: Alert[];
}

const COLUMNS = 'fingerprint, labels, annotations, starts_at, ends_at, updated_at, generator_url, timeout';
const MERGED = 'labels, annotations, starts_at, ends_at, updated_at, generator_url, timeout';

const FIELDS = ['labels', 'annotations', 'starts_at', 'ends_at', 'updated_at', 'generator_url', 'timeout'] as const;
type Cols = Record<(typeof FIELDS)[number], string>;
const cols = (alias: string): Cols => Object.fromEntries(FIELDS.map((f) => [f, `${alias}.${f}`])) as Cols;
const list = (c: Cols): string => FIELDS.map((f) => c[f]).join(', ');

/** upstream's merge of the stored row `o` with the incoming `n`, column by column, given the outcome `mg` of tocsin_merge_alert */
function merged(o: string, n: string): Cols {
  const pick = (f: string) => `CASE WHEN mg.take_new THEN ${n}.${f} ELSE ${o}.${f} END`;
  return {
    labels: pick('labels'),
    annotations: pick('annotations'),
    starts_at: 'mg.starts_at',
    ends_at: 'mg.ends_at',
    updated_at: pick('updated_at'),
    generator_url: pick('generator_url'),
    timeout: pick('timeout'),
  };
}

const MERGE_FN = (o: string, n: string) =>
  `tocsin_merge_alert(${o}.starts_at, ${o}.ends_at, ${o}.updated_at, ${o}.timeout, ${n}.starts_at, ${n}.ends_at, ${n}.updated_at, ${n}.timeout, $9::bigint)`;

/**
 * Whether the merged row `r` needs no write over the stored row `s`. Exact: no column differs. Lazy (replicas'
 * sync, see PgAlertStore.sync): only updated_at changed, and ends_at at most by a small extension: the stored
 * end is still in the future and at least half as far away as the merged end (so a firing alert's row is
 * rewritten at the latest when half of its remaining lifetime is used up).
 */
function unchanged(lazy: boolean, r: Cols, s: Cols): string {
  const same = `${r.labels} = ${s.labels} AND ${r.annotations} = ${s.annotations} AND ${r.starts_at} = ${s.starts_at}
    AND ${r.generator_url} = ${s.generator_url} AND ${r.timeout} = ${s.timeout}`;
  const ends = lazy
    ? `(${r.ends_at} = ${s.ends_at} OR (${s.ends_at} > $9 AND ${r.ends_at} > ${s.ends_at} AND (${s.ends_at} - $9) * 2 >= ${r.ends_at} - $9))`
    : `${r.ends_at} = ${s.ends_at} AND ${r.updated_at} = ${s.updated_at}`;
  return `(${same} AND ${ends})`;
}

const R: Cols = Object.fromEntries(FIELDS.map((f) => [f, `r_${f}`])) as Cols;

/**
 * One statement per batch. `m` merges every incoming alert with the stored row as this statement's snapshot
 * reads it, WITHOUT locking it; only the rows that must change are written (`w`: INSERT ... ON CONFLICT DO
 * UPDATE, which merges again under the row lock, with the row as it is then, in fingerprint order). So
 * identical re-sends (the common case: Prometheus re-sends every alert to every replica) take no row lock and
 * write no WAL, and replicas merging the same alerts do not queue on each other's locks. Skipping on a stale
 * read is safe: the skipped write would change nothing (lazy: only updated_at and a small ends_at extension),
 * so it is as if it had been applied just before the concurrent write the snapshot missed. Lazy, the update
 * under the lock is skipped too when the merge needs no write and gives exactly the incoming alert (replicas
 * inserting the same new alert at once: the first writes it). Result: EXACT_RESULT or LAZY_RESULT.
 */
function mergeSql(lazy: boolean): string {
  const s = cols('s');
  const update = merged('s', 'excluded');
  const onlyIfChanged = lazy
    ? `WHERE EXISTS (SELECT 1 FROM ${MERGE_FN('s', 'excluded')} AS mg
        WHERE NOT ${unchanged(true, update, s)} OR (${list(update)}) IS DISTINCT FROM (${list(cols('excluded'))}))`
    : '';
  return `
WITH n AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::text[], $8::boolean[])
    AS n(${COLUMNS})),
m AS (
  SELECT n.*, r.*, (s.fingerprint IS NULL OR NOT ${unchanged(lazy, R, s)}) AS write
  FROM n LEFT JOIN alerts s ON s.fingerprint = n.fingerprint
  CROSS JOIN LATERAL (
    SELECT ${list(merged('s', 'n'))} FROM ${MERGE_FN('s', 'n')} AS mg WHERE s.fingerprint IS NOT NULL
    UNION ALL
    SELECT ${list(cols('n'))} WHERE s.fingerprint IS NULL
  ) AS r(${list(R)})),
w AS (
  INSERT INTO alerts AS s (${COLUMNS}, origin)
  SELECT ${COLUMNS}, $10 FROM m WHERE write ORDER BY fingerprint
  ON CONFLICT (fingerprint) DO UPDATE SET (${MERGED}, xid, origin) = (
    SELECT ${list(update)}, pg_current_xact_id(), excluded.origin FROM ${MERGE_FN('s', 'excluded')} AS mg)
  ${onlyIfChanged}
  RETURNING ${COLUMNS})
${lazy ? LAZY_RESULT : EXACT_RESULT}`;
}

/** every merged alert */
const EXACT_RESULT = `SELECT w.* FROM w UNION ALL SELECT fingerprint, ${list(R)} FROM m WHERE NOT write`;

/**
 * The rows written (`written`), and the merged alerts that differ from the incoming ones (`differs`); the
 * text columns only where they differ (a row equal to what the caller sent is not sent back to it).
 */
const LAZY_RESULT = `SELECT w.fingerprint,
  CASE WHEN x.differs THEN w.labels END AS labels, CASE WHEN x.differs THEN w.annotations END AS annotations,
  w.starts_at, w.ends_at, w.updated_at, CASE WHEN x.differs THEN w.generator_url END AS generator_url, w.timeout,
  true AS written, x.differs
FROM w JOIN n ON n.fingerprint = w.fingerprint
CROSS JOIN LATERAL (SELECT (${list(cols('w'))}) IS DISTINCT FROM (${list(cols('n'))}) AS differs) AS x
UNION ALL
SELECT fingerprint, ${list(R)}, false, true FROM m WHERE NOT write AND (${list(R)}) IS DISTINCT FROM (${MERGED})`;

const EXACT_MERGE = { name: 'tocsin_alerts_merge', text: mergeSql(false) };
const LAZY_MERGE = { name: 'tocsin_alerts_sync', text: mergeSql(true) };

function toAlert(r: Row): Alert {
  return {
    fingerprint: r.fingerprint,
    labels: JSON.parse(r.labels) as Record<string, string>,
    annotations: JSON.parse(r.annotations) as Record<string, string>,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    updatedAt: r.updated_at,
    generatorURL: r.generator_url,
    timeout: r.timeout,
  };
}

export class PgAlertStore extends ReplicaStore implements AlertStorage {
  async loadAll(): Promise<Alert[]> {
    const { rows } = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM alerts`);
    return rows.map(toAlert);
  }

  async merge(alerts: readonly Alert[], now: number): Promise<Alert[]> {
    if (alerts.length === 0) return [];
    const batch = mergeWithinBatch(alerts, now);
    const stored = new Map((await this.#run(EXACT_MERGE, batch, now)).map((r) => [r.fingerprint, r]));
    return batch.map((a) => toAlert(stored.get(a.fingerprint)!));
  }

  /**
   * merge() for a replica whose memory already holds `alerts` (its own merge of what it received): stores
   * lazily (a re-send that only moves updatedAt, or extends endsAt by less than half of the alert's remaining
   * lifetime, is not written: docs/ha-design.md "Re-sent alerts are not rewritten"). Resolves to the alerts it
   * wrote, as stored, and the merged alerts that differ from the ones given (another replica stored something
   * newer), which memory takes in.
   */
  async sync(alerts: readonly Alert[], now: number): Promise<SyncResult> {
    const result: SyncResult = { written: [], newer: [] };
    if (alerts.length === 0) return result;
    const batch = mergeWithinBatch(alerts, now);
    const sent = new Map(batch.map((a) => [a.fingerprint, a]));
    for (const r of await this.#run(LAZY_MERGE, batch, now)) {
      const a = r.differs ? toAlert(r) : sent.get(r.fingerprint)!;
      if (r.written) result.written.push(a);
      if (r.differs) result.newer.push(a);
    }
    return result;
  }

  async #run(sql: { name: string; text: string }, batch: readonly Alert[], now: number): Promise<SyncRow[]> {
    const { rows } = await this.pool.query<SyncRow>({
      ...sql,
      values: [
        batch.map((a) => a.fingerprint),
        batch.map((a) => JSON.stringify(a.labels)),
        batch.map((a) => JSON.stringify(a.annotations)),
        batch.map((a) => a.startsAt),
        batch.map((a) => a.endsAt),
        batch.map((a) => a.updatedAt),
        batch.map((a) => a.generatorURL),
        batch.map((a) => a.timeout),
        now,
        this.replica,
      ],
    });
    return rows;
  }

  async delete(fingerprints: readonly string[]): Promise<void> {
    if (fingerprints.length === 0) return;
    await this.pool.query('DELETE FROM alerts WHERE fingerprint = ANY($1::text[])', [fingerprints]);
  }

  /**
   * Alerts written since `cursor` and the cursor for the next call. Start with '0': that first call reads
   * every alert (use it instead of loadAll() when the feed is polled afterwards).
   */
  async changesSince(cursor: string, o: { othersOnly?: boolean } = {}): Promise<{ alerts: Alert[]; cursor: string }> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const snap = await client.query<{ xmin: string }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin');
      const { rows } = o.othersOnly
        ? await client.query<Row>(`SELECT ${COLUMNS} FROM alerts WHERE xid >= $1::xid8 AND origin <> $2`, [cursor, this.replica])
        : await client.query<Row>(`SELECT ${COLUMNS} FROM alerts WHERE xid >= $1::xid8`, [cursor]);
      await client.query('COMMIT');
      return { alerts: rows.map(toAlert), cursor: snap.rows[0]!.xmin };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }
}
