/**
 * @module store/history
 * SQLite storage for the history (src/history): one row per event in the `history` table, indexed for
 * the history API's queries (by time; by fingerprint, receiver, kind or alertname, each within time). Rows are
 * appended in one transaction per batch; the id (rowid) orders events of the same millisecond. The same transaction
 * keeps the alerts' firing intervals the chart reads (src/store/history-series.ts).
 */
import type { HistoryEvent, HistoryKind, StoredHistoryEvent } from '../history/event';
import type { HistoryQuery, HistoryStorage } from '../history/storage';
import type { LabelSet } from '../types/alert';
import type { Statement } from 'better-sqlite3';
import { type DB, migrate } from './db';
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

interface Row {
  id: number;
  time: number;
  kind: string;
  fingerprint: string | null;
  group_key: string | null;
  receiver: string | null;
  silence_id: string | null;
  labels: string | null;
  data: string | null;
}

function fromRow(r: Row): StoredHistoryEvent {
  return {
    id: r.id,
    time: r.time,
    kind: r.kind as HistoryKind,
    ...(r.fingerprint !== null ? { fingerprint: r.fingerprint } : {}),
    ...(r.labels !== null ? { labels: JSON.parse(r.labels) as LabelSet } : {}),
    ...(r.group_key !== null ? { groupKey: r.group_key } : {}),
    ...(r.receiver !== null ? { receiver: r.receiver } : {}),
    ...(r.silence_id !== null ? { silenceId: r.silence_id } : {}),
    ...(r.data !== null ? { data: JSON.parse(r.data) as Record<string, unknown> } : {}),
  };
}

/**
 * An alert's labels are one immutable object shared by its events (first seen, grouped, muted, ...): encode it
 * once. Held weakly, so nothing outlives the alert.
 */
const labelsJson = new WeakMap<LabelSet, string>();
function encodeLabels(ls: LabelSet): string {
  let s = labelsJson.get(ls);
  if (s === undefined) {
    s = JSON.stringify(ls);
    labelsJson.set(ls, s);
  }
  return s;
}

/** rows read per statement while a label filter drops some */
const CHUNK = 500;

export function sqliteHistoryStorage(db: DB): HistoryStorage {
  migrate(db, 'history', MIGRATIONS);
  const insert = db.prepare(
    'INSERT INTO history (time, kind, fingerprint, group_key, receiver, silence_id, alertname, labels, data, failed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const firing = firingIntervals(db);
  const appendAll = db.transaction((events: readonly HistoryEvent[]) => {
    for (const e of events) {
      const labels = e.labels ? encodeLabels(e.labels) : null;
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

  function select(q: HistoryQuery, after: HistoryQuery['after'], limit: number): Row[] {
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
    return st.all(...args, limit) as Row[];
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
    async query(q) {
      const limit = Math.max(1, q.limit);
      if (!q.match) {
        // one row more than asked tells whether there is a next page
        const rows = select(q, q.after, limit + 1);
        const events = rows.slice(0, limit).map(fromRow);
        const last = events[events.length - 1];
        return rows.length > limit && last ? { events, next: { time: last.time, id: last.id } } : { events };
      }
      const scanLimit = q.scanLimit ?? 50_000;
      const out: StoredHistoryEvent[] = [];
      let after = q.after;
      let scanned = 0;
      for (;;) {
        const rows = select(q, after, CHUNK);
        for (const r of rows) {
          scanned++;
          after = { time: r.time, id: r.id };
          const e = fromRow(r);
          if (e.labels && q.match(e.labels)) {
            out.push(e);
            if (out.length === limit) return { events: out, next: after };
          }
        }
        if (rows.length < CHUNK) return { events: out };
        if (scanned >= scanLimit) return { events: out, ...(after ? { next: after } : {}) };
      }
    },
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
