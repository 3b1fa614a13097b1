/**
 * @module store/history
 * SQLite storage for the history (src/history): one row per event in the `history` table, indexed for
 * the history API's queries (by time; by fingerprint, receiver, kind or alertname, each within time). Rows are
 * appended in one transaction per batch; the id (rowid) orders events of the same millisecond. The same transaction
 * keeps the alerts' firing intervals the chart reads (src/store/history-series.ts).
 */
import type { HistoryEvent } from '../history/event';
import type { HistoryQuery, HistoryStorage } from '../history/storage';
import type { Statement } from 'better-sqlite3';
import { type DB, migrate } from './db';
import { encodeHistoryLabels, type HistoryRow, pageHistory } from './history-rows';
import { FIRING_MIGRATION, failedColumn, firingIntervals } from './history-series';

const MIGRATIONS = [
  `CREATE TABLE history (
     id INTEGER PRIMARY KEY,
     time INTEGER NOT NULL,
     kind TEXT NOT NULL,
     fingerprint TEXT,
     group_key TEXT,
     receiver TEXT,
     silence_id TEXT,
     alertname TEXT,
     labels TEXT,
     data TEXT
   );
   CREATE INDEX history_time ON history (time, id);
   CREATE INDEX history_fingerprint ON history (fingerprint, time, id) WHERE fingerprint IS NOT NULL;
   CREATE INDEX history_receiver ON history (receiver, time, id) WHERE receiver IS NOT NULL;
   CREATE INDEX history_kind ON history (kind, time, id);
   CREATE INDEX history_alertname ON history (alertname, time, id) WHERE alertname IS NOT NULL;`,
  FIRING_MIGRATION,
];

export function sqliteHistoryStorage(db: DB): HistoryStorage {
  migrate(db, 'history', MIGRATIONS);
  const insert = db.prepare(
    'INSERT INTO history (time, kind, fingerprint, group_key, receiver, silence_id, alertname, labels, data, failed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const firing = firingIntervals(db);
  const appendAll = db.transaction((events: readonly HistoryEvent[]) => {
    for (const e of events) {
      const labels = e.labels ? encodeHistoryLabels(e.labels) : null;
      firing.record(e, labels);
      insert.run(
        e.time,
        e.kind,
        e.fingerprint ?? null,
        e.groupKey ?? null,
        e.receiver ?? null,
        e.silenceId ?? null,
        e.labels?.alertname ?? null,
        labels,
        e.data ? JSON.stringify(e.data) : null,
        failedColumn(e),
      );
    }
    firing.flush();
  });
  const deleteOld = db.prepare('DELETE FROM history WHERE id IN (SELECT id FROM history WHERE time < ? ORDER BY time, id LIMIT ?)');
  const maxId = db.prepare('SELECT MAX(id) AS m FROM history');
  const minTime = db.prepare('SELECT MIN(time) AS t FROM history');
  const countAll = db.prepare('SELECT COUNT(*) AS n FROM history');
  const deleteUpTo = db.prepare('DELETE FROM history WHERE id IN (SELECT id FROM history WHERE id <= ? ORDER BY id LIMIT ?)');
  /** prepared statements by the shape of the WHERE clause */
  const statements = new Map<string, Statement<unknown[]>>();

  function select(q: HistoryQuery, after: HistoryQuery['after'], limit: number): HistoryRow[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.fingerprint !== undefined) {
      where.push('fingerprint = ?');
      args.push(q.fingerprint);
    }
    if (q.receiver !== undefined) {
      where.push('receiver = ?');
      args.push(q.receiver);
    }
    if (q.groupKey !== undefined) {
      where.push('group_key = ?');
      args.push(q.groupKey);
    }
    if (q.alertname !== undefined) {
      where.push('alertname = ?');
      args.push(q.alertname);
    }
    if (q.kinds && q.kinds.length > 0) {
      where.push(`kind IN (${q.kinds.map(() => '?').join(', ')})`);
      args.push(...q.kinds);
    }
    if (q.since !== undefined) {
      where.push('time >= ?');
      args.push(q.since);
    }
    if (q.until !== undefined) {
      where.push('time < ?');
      args.push(q.until);
    }
    if (q.match) where.push('labels IS NOT NULL');
    if (after) {
      where.push('(time < ? OR (time = ? AND id < ?))');
      args.push(after.time, after.time, after.id);
    }
    const sql = `SELECT id, time, kind, fingerprint, group_key, receiver, silence_id, labels, data FROM history${
      where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''
    } ORDER BY time DESC, id DESC LIMIT ?`;
    let st = statements.get(sql);
    if (!st) {
      st = db.prepare(sql);
      statements.set(sql, st);
    }
    return st.all(...args, limit) as HistoryRow[];
  }

  return {
    async append(events) {
      if (events.length === 0) return;
      try {
        appendAll(events);
      } catch (e) {
        firing.rolledBack();
        throw e;
      }
    },
    query: (q) => pageHistory(q, (after, limit) => select(q, after, limit)),
    async deleteOlderThan(time, max) {
      firing.deleteEndedBefore(time);
      return deleteOld.run(time, max).changes;
    },
    async trimToNewest(keep, max) {
      const top = (maxId.get() as { m: number | null }).m;
      if (top === null) return 0;
      // ids only grow, so the newest `keep` events have ids above top - keep (fewer when ids have gaps)
      if (top - keep <= 0) return 0;
      const n = deleteUpTo.run(top - keep, max).changes;
      const oldest = (minTime.get() as { t: number | null }).t;
      if (n > 0 && oldest !== null) firing.deleteEndedBefore(oldest);
      return n;
    },
    async series(q) {
      return firing.cells(q);
    },
    async count() {
      return (countAll.get() as { n: number }).n;
    },
  } satisfies HistoryStorage;
}
