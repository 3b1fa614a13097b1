/**
 * @module store/postgres/history
 * PostgreSQL storage for the history (src/history), the counterpart of src/store/history.ts: one `history` table
 * (schema.ts, migration "history") that every replica appends to, so a query on any replica sees the events of
 * all. A batch is ONE statement (arrays unnested in order), so one round trip per batch whatever its size; the id
 * (a shared sequence) orders events of the same millisecond. Queries use the same indexes as SQLite's: by time;
 * by fingerprint, receiver, kind or alertname, each within time.
 */
import type pg from 'pg';
import type { HistoryEvent } from '../../history/event';
import type { HistoryCursor, HistoryPage, HistoryQuery, HistoryStorage } from '../../history/storage';
import type { SeriesCell, SeriesQuery } from '../../history/series';
import { historyLabelsEncoder, type HistoryRow, pageHistory } from '../history-rows';
import { HOUR } from './history-firing-schema';
import { seriesCells } from './history-series';

const INSERT = `INSERT INTO history (time, kind, fingerprint, group_key, receiver, silence_id, alertname, labels, data, failed)
SELECT t, k, f, g, r, s, a, l, d, x.failed
FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::boolean[])
  WITH ORDINALITY AS x(t, k, f, g, r, s, a, l, d, failed, n)
ORDER BY n`;

export class PgHistoryStorage implements HistoryStorage {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async append(events: readonly HistoryEvent[]): Promise<void> {
    if (events.length === 0) return;
    const cols: (string | number | boolean | null)[][] = [[], [], [], [], [], [], [], [], [], []];
    const encodeLabels = historyLabelsEncoder();
    for (const e of events) {
      cols[0]!.push(e.time);
      cols[1]!.push(e.kind);
      cols[2]!.push(e.fingerprint ?? null);
      cols[3]!.push(e.groupKey ?? null);
      cols[4]!.push(e.receiver ?? null);
      cols[5]!.push(e.silenceId ?? null);
      cols[6]!.push(e.labels?.alertname ?? null);
      cols[7]!.push(e.labels ? encodeLabels(e.labels) : null);
      cols[8]!.push(e.data ? JSON.stringify(e.data) : null);
      cols[9]!.push(e.kind === 'notification' ? e.data?.outcome === 'failure' : null);
    }
    await this.#pool.query(INSERT, cols);
  }

  async #select(q: HistoryQuery, after: HistoryCursor | undefined, limit: number): Promise<HistoryRow[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const arg = (v: unknown): string => {
      args.push(v);
      return `$${args.length}`;
    };
    if (q.fingerprint !== undefined) where.push(`fingerprint = ${arg(q.fingerprint)}`);
    if (q.receiver !== undefined) where.push(`receiver = ${arg(q.receiver)}`);
    if (q.groupKey !== undefined) where.push(`group_key = ${arg(q.groupKey)}`);
    if (q.alertname !== undefined) where.push(`alertname = ${arg(q.alertname)}`);
    if (q.kinds && q.kinds.length > 0) where.push(`kind = ANY(${arg(q.kinds)}::text[])`);
    if (q.since !== undefined) where.push(`time >= ${arg(q.since)}`);
    if (q.until !== undefined) where.push(`time < ${arg(q.until)}`);
    if (q.match) where.push('labels IS NOT NULL');
    if (after) where.push(`(time, id) < (${arg(after.time)}, ${arg(after.id)})`);
    const sql = `SELECT id, time, kind, fingerprint, group_key, receiver, silence_id, labels, data FROM history${
      where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''
    } ORDER BY time DESC, id DESC LIMIT ${arg(limit)}`;
    return (await this.#pool.query<HistoryRow>(sql, args)).rows;
  }

  query(q: HistoryQuery): Promise<HistoryPage> {
    return pageHistory(q, (after, limit) => this.#select(q, after, limit));
  }

  async deleteOlderThan(time: number, max: number): Promise<number> {
    const r = await this.#pool.query('DELETE FROM history WHERE id IN (SELECT id FROM history WHERE time < $1 ORDER BY time, id LIMIT $2)', [time, max]);
    await this.#forgetEndedBefore(time);
    return r.rowCount ?? 0;
  }

  /** the firing intervals that ended before `time`, the hourly counts of hours before its own, and the lock rows of alerts with no event since (retention) */
  async #forgetEndedBefore(time: number): Promise<void> {
    await this.#pool.query(
      `WITH i AS (DELETE FROM history_firing WHERE ended < $1), h AS (DELETE FROM history_hourly WHERE hour < $1 / ${HOUR})
       DELETE FROM history_alerts WHERE last_time < $1`,
      [time],
    );
  }

  async trimToNewest(keep: number, max: number): Promise<number> {
    const { rows } = await this.#pool.query<{ m: string | null }>('SELECT max(id) AS m FROM history');
    const top = rows[0]?.m;
    if (top == null) return 0;
    // ids only grow, so the newest `keep` events have ids above top - keep (fewer when ids have gaps)
    const cut = Number(top) - keep;
    if (cut <= 0) return 0;
    const r = await this.#pool.query('DELETE FROM history WHERE id IN (SELECT id FROM history WHERE id <= $1 ORDER BY id LIMIT $2)', [cut, max]);
    const n = r.rowCount ?? 0;
    if (n > 0) {
      const oldest = (await this.#pool.query<{ t: string | null }>('SELECT min(time) AS t FROM history')).rows[0]?.t;
      if (oldest != null) await this.#forgetEndedBefore(Number(oldest));
    }
    return n;
  }

  series(q: SeriesQuery): Promise<SeriesCell[]> {
    return seriesCells(this.#pool, q);
  }

  async count(): Promise<number> {
    const { rows } = await this.#pool.query<{ n: string }>('SELECT count(*) AS n FROM history');
    return Number(rows[0]?.n ?? 0);
  }
}
