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
import { PoolStore } from './replica-store';
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

const COLUMNS = 'fingerprint, labels, annotations, starts_at, ends_at, updated_at, generator_url, timeout';

const MERGE_SQL = `
INSERT INTO alerts AS s (${COLUMNS})
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::text[], $8::boolean[])
  AS n(${COLUMNS})
ORDER BY fingerprint
ON CONFLICT (fingerprint) DO UPDATE SET
  (labels, annotations, starts_at, ends_at, updated_at, generator_url, timeout, xid) = (
    SELECT
      CASE WHEN m.take_new THEN excluded.labels ELSE s.labels END,
      CASE WHEN m.take_new THEN excluded.annotations ELSE s.annotations END,
      m.starts_at,
      m.ends_at,
      CASE WHEN m.take_new THEN excluded.updated_at ELSE s.updated_at END,
      CASE WHEN m.take_new THEN excluded.generator_url ELSE s.generator_url END,
      CASE WHEN m.take_new THEN excluded.timeout ELSE s.timeout END,
      pg_current_xact_id()
    FROM tocsin_merge_alert(s.starts_at, s.ends_at, s.updated_at, s.timeout,
      excluded.starts_at, excluded.ends_at, excluded.updated_at, excluded.timeout, $9::bigint) AS m)
RETURNING ${COLUMNS}`;

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

export class PgAlertStore extends PoolStore implements AlertStorage {
  async loadAll(): Promise<Alert[]> {
    const { rows } = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM alerts`);
    return rows.map(toAlert);
  }

  async merge(alerts: readonly Alert[], now: number): Promise<Alert[]> {
    if (alerts.length === 0) return [];
    const batch = mergeWithinBatch(alerts, now);
    const { rows } = await this.pool.query<Row>(MERGE_SQL, [
      batch.map((a) => a.fingerprint),
      batch.map((a) => JSON.stringify(a.labels)),
      batch.map((a) => JSON.stringify(a.annotations)),
      batch.map((a) => a.startsAt),
      batch.map((a) => a.endsAt),
      batch.map((a) => a.updatedAt),
      batch.map((a) => a.generatorURL),
      batch.map((a) => a.timeout),
      now,
    ]);
    const stored = new Map(rows.map((r) => [r.fingerprint, r]));
    return batch.map((a) => toAlert(stored.get(a.fingerprint)!));
  }

  async delete(fingerprints: readonly string[]): Promise<void> {
    if (fingerprints.length === 0) return;
    await this.pool.query('DELETE FROM alerts WHERE fingerprint = ANY($1::text[])', [fingerprints]);
  }

  /**
   * Alerts written since `cursor` and the cursor for the next call. Start with '0': that first call reads
   * every alert (use it instead of loadAll() when the feed is polled afterwards).
   */
  async changesSince(cursor: string): Promise<{ alerts: Alert[]; cursor: string }> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const snap = await client.query<{ xmin: string }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin');
      const { rows } = await client.query<Row>(`SELECT ${COLUMNS} FROM alerts WHERE xid >= $1::xid8`, [cursor]);
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
