/**
 * @module store/history
 * SQLite storage for the history (src/history): one row per event in the `history` table (a first-seen alert's
 * created and grouped events share one, see INSERT), indexed for the history API's queries (by time; by
 * fingerprint, receiver, kind or alertname, each within time). Rows are
 * appended in one transaction per batch; the id (rowid) orders events of the same millisecond. The server keeps
 * the table in its own file, `<storage.path>/history.db`, with big appends written by a worker thread
 * (SqliteHistoryOptions). The alerts' firing intervals the chart reads (src/store/history-series.ts) are kept in
 * the append transaction, on the thread with the rows when it writes them (no SQLite work on the event loop).
 */
import type { HistoryEvent, StoredHistoryEvent } from '../history/event';
import type { HistoryQuery, HistoryStorage } from '../history/storage';
import type { Statement } from 'better-sqlite3';
import { type DB, migrate } from './db';
import { historyFromRow, historyLabelsEncoder, type HistoryRow, pageHistory } from './history-rows';
import { FIRING_BACKFILL, FIRING_MIGRATION, failedColumn, firingIntervals, type StatementRows } from './history-series';
import type { SqliteWriterThread } from './sqlite-writer-thread';

/** The kind index's condition, repeated in a query for other kinds so that SQLite may use it. */
const UNCOMMON_KINDS = "kind NOT IN ('alert_created', 'alert_grouped')";
const COMMON_KINDS: ReadonlySet<string> = new Set(['alert_created', 'alert_grouped']);

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
  // the kinds of an alert storm (two events per new alert) leave the kind index: each new alert writes two index
  // entries fewer, and a query for them (the commonest kinds) reads the time index instead
  `DROP INDEX history_kind;
   CREATE INDEX history_kind ON history (kind, time, id) WHERE ${UNCOMMON_KINDS};`,
];

/**
 * The insert of one row (its columns in the order of {@link eventColumns}). A first-seen alert's two events,
 * alert_created and the alert_grouped that follows it in the same millisecond, are one row (kind alert_created
 * with the group's key and receiver: one row and its index entries instead of two, the storm's main cost). That
 * row's id is MAX(id) + 2: it is the grouped event's id, and the id below it, never given to a row, the created
 * event's, so every event keeps an id of its own in the (time, id) order. A row's first value sets the pair.
 */
const INSERT =
  'INSERT INTO history (id, time, kind, fingerprint, group_key, receiver, silence_id, alertname, labels, data, failed) ' +
  'VALUES (CASE WHEN ? IS NOT NULL THEN (SELECT COALESCE(MAX(id), 0) + 2 FROM history) END, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
const WIDTH = 11;
/** where a row's values sit among its columns */
const PAIR_AT = 0;
const TIME_AT = 1;
const GROUP_KEY_AT = 4;
const RECEIVER_AT = 5;
const LABELS_AT = 8;

/** A stored row that holds an alert_created and an alert_grouped (see INSERT). */
export function isPairRow(r: { kind: string; group_key: string | null }): boolean {
  return r.kind === 'alert_created' && r.group_key !== null;
}

/**
 * The rows' column values, flat (WIDTH per row), and each event's labels JSON (encoded once per labels object). An
 * alert_grouped that is the next event of its alert after that alert's alert_created, at the same time with the
 * same labels, joins the created event's row.
 */
function eventColumns(events: readonly HistoryEvent[]): { values: unknown[]; labels: (string | null)[] } {
  const values: unknown[] = [];
  const labelsOf = new Array<string | null>(events.length);
  const encode = historyLabelsEncoder();
  /** fingerprint -> the offset of its alert_created row, while the alert's next event may join it */
  const open = new Map<string, number>();
  for (let k = 0; k < events.length; k++) {
    const e = events[k]!;
    const fp = e.fingerprint;
    const labels = e.labels ? encode(e.labels) : null;
    labelsOf[k] = labels;
    if (fp !== undefined && open.size > 0) {
      const at = open.get(fp);
      if (at !== undefined) {
        open.delete(fp);
        if (e.kind === 'alert_grouped' && e.groupKey !== undefined && e.receiver !== undefined && e.silenceId === undefined && e.data === undefined && values[at + TIME_AT] === e.time && values[at + LABELS_AT] === labels) {
          values[at + PAIR_AT] = 1;
          values[at + GROUP_KEY_AT] = e.groupKey;
          values[at + RECEIVER_AT] = e.receiver;
          continue;
        }
      }
    }
    if (fp !== undefined && e.kind === 'alert_created' && e.groupKey === undefined && e.receiver === undefined) open.set(fp, values.length);
    values.push(null, e.time, e.kind, fp ?? null, e.groupKey ?? null, e.receiver ?? null, e.silenceId ?? null, e.labels?.alertname ?? null, labels, e.data ? JSON.stringify(e.data) : null, failedColumn(e));
  }
  return { values, labels: labelsOf };
}

/** A stored row's events, newest first: a pair row's alert_grouped (the row's id) and alert_created (the id below). */
function rowEvents(r: HistoryRow): StoredHistoryEvent[] {
  const e = historyFromRow(r);
  if (!isPairRow(r)) return [e];
  const { groupKey, receiver, ...created } = e;
  return [
    { id: e.id, time: e.time, kind: 'alert_grouped', ...(e.fingerprint !== undefined ? { fingerprint: e.fingerprint } : {}), ...(e.labels ? { labels: e.labels } : {}), groupKey: groupKey!, receiver: receiver! },
    { ...created, id: e.id - 1 },
  ];
}

/** The query's conditions on the event itself, which one event of a pair row may not meet. */
function eventFilter(q: HistoryQuery): ((e: StoredHistoryEvent) => boolean) | undefined {
  const kinds = q.kinds && q.kinds.length > 0 ? new Set<string>(q.kinds) : undefined;
  if (!kinds && q.receiver === undefined && q.groupKey === undefined) return undefined;
  return (e) => (!kinds || kinds.has(e.kind)) && (q.receiver === undefined || e.receiver === q.receiver) && (q.groupKey === undefined || e.groupKey === q.groupKey);
}

/** the rows retention deletes: the oldest before a time, or up to an id (SELECT's columns filled in) */
const OLDEST_BEFORE = 'SELECT %s FROM history WHERE time < ? ORDER BY time, id LIMIT ?';
const UP_TO = 'SELECT %s FROM history WHERE id <= ? ORDER BY id LIMIT ?';
const deleteOf = (rows: string) => `DELETE FROM history WHERE id IN (${rows.replace('%s', 'id')})`;
/** the pair rows (two events each) among those rows */
const pairsAmong = (rows: string) => `SELECT COUNT(*) AS n FROM (${rows.replace('%s', 'kind, group_key')}) WHERE kind = 'alert_created' AND group_key IS NOT NULL`;

export interface SqliteHistoryOptions {
  /**
   * big appends (and, while it runs, every write) go to this thread's connection to the same file, off the
   * event loop. Without it, everything runs on `db` (in-memory databases, tests, the micro bench).
   */
  writer?: SqliteWriterThread;
  /**
   * with `writer`: smaller appends are written on `db` while the thread is not running (it starts for a
   * batch of at least this many events, and ends when idle). Default 200 (about 1.5 ms of SQLite).
   */
  threadMin?: number;
}

export function sqliteHistoryStorage(db: DB, o: SqliteHistoryOptions = {}): HistoryStorage {
  migrate(db, 'history', MIGRATIONS);
  const threadMin = o.threadMin ?? 200;
  const insert = db.prepare(INSERT);
  const firing = firingIntervals(db);
  const appendAll = db.transaction((values: unknown[], writes: StatementRows[]) => {
    for (let i = 0; i < values.length; i += WIDTH) {
      insert.run(values[i], values[i + 1], values[i + 2], values[i + 3], values[i + 4], values[i + 5], values[i + 6], values[i + 7], values[i + 8], values[i + 9], values[i + 10]);
    }
    firing.run(writes);
  });
  const runAll = db.transaction((writes: { sql: string; args: unknown[] }[]) => {
    let changes = 0;
    for (const w of writes) changes = db.prepare(w.sql).run(...w.args).changes;
    return changes;
  });
  /** the statements in one transaction, on the thread while it runs; resolves to the last one's changes */
  const runWrites = async (writes: { sql: string; args: unknown[] }[]): Promise<number> => {
    if (!o.writer?.active) return runAll(writes);
    let changes = 0;
    for (const w of writes) changes = await o.writer.run(w.sql, w.args);
    return changes;
  };
  const maxId = db.prepare('SELECT MAX(id) AS m FROM history');
  const pairsOldest = db.prepare(pairsAmong(OLDEST_BEFORE));
  const pairsUpTo = db.prepare(pairsAmong(UP_TO));
  /** events deleted by a delete of `rows` rows of which `pairs` held two (counted before it, retention passes never overlap) */
  const eventsDeleted = (rows: number, pairs: number) => (rows > 0 ? rows + pairs : 0);
  const minTime = db.prepare('SELECT MIN(time) AS t FROM history');
  // a pair row is two events
  const countAll = db.prepare("SELECT (SELECT COUNT(*) FROM history) + (SELECT COUNT(*) FROM history WHERE kind = 'alert_created' AND group_key IS NOT NULL) AS n");
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
      // alert_grouped events are also in pair rows (kind alert_created)
      const pairs = q.kinds.includes('alert_grouped') && !q.kinds.includes('alert_created') ? " OR (kind = 'alert_created' AND group_key IS NOT NULL)" : '';
      where.push(`(kind IN (${q.kinds.map(() => '?').join(', ')})${pairs})`);
      args.push(...q.kinds);
      if (!q.kinds.some((k) => COMMON_KINDS.has(k))) where.push(UNCOMMON_KINDS);
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
      // the cursor's own row again: a pair row's other event may follow the cursor (pageHistory skips the rest)
      where.push('(time < ? OR (time = ? AND id <= ?))');
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
      const { values, labels } = eventColumns(events);
      const threaded = o.writer !== undefined && (o.writer.active || events.length >= threadMin);
      const writes = firing.plan(events, (k) => labels[k] ?? null);
      try {
        // the intervals and hourly counts commit with their events, on the thread when it writes them
        if (threaded) await o.writer!.rows({ sql: INSERT, width: WIDTH, values, after: writes });
        else appendAll(values, writes);
      } catch (e) {
        firing.rolledBack();
        throw e;
      }
    },
    query: (q) => pageHistory(q, (after, limit) => select(q, after, limit), rowEvents, eventFilter(q)),
    async deleteOlderThan(time, max) {
      const pairs = (pairsOldest.get(time, max) as { n: number }).n;
      return eventsDeleted(await runWrites([...firing.deleteEndedBefore(time), { sql: deleteOf(OLDEST_BEFORE), args: [time, max] }]), pairs);
    },
    async trimToNewest(keep, max) {
      const top = (maxId.get() as { m: number | null }).m;
      if (top === null) return 0;
      // ids only grow, so the newest `keep` events have ids above top - keep (fewer when ids have gaps)
      if (top - keep <= 0) return 0;
      const pairs = (pairsUpTo.get(top - keep, max) as { n: number }).n;
      const n = await runWrites([{ sql: deleteOf(UP_TO), args: [top - keep, max] }]);
      const oldest = (minTime.get() as { t: number | null }).t;
      if (n > 0 && oldest !== null) await runWrites(firing.deleteEndedBefore(oldest));
      return eventsDeleted(n, pairs);
    },
    async series(q) {
      return firing.cells(q);
    },
    async count() {
      return (countAll.get() as { n: number }).n;
    },
  } satisfies HistoryStorage;
}

/**
 * Moves the events of a store written before the history had its own file (the `history` table of tocsin.db,
 * `main`) into `history` (whose schema sqliteHistoryStorage() has made), then drops the old table. The copy and
 * its mark commit together in `history`: a kill between them and the drop copies nothing twice. Returns how
 * many events were moved.
 */
export function moveLegacyHistory(main: DB, history: DB): number {
  if (!main.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'history'").get()) return 0;
  let moved = 0;
  if (!history.prepare("SELECT 1 FROM schema_migrations WHERE module = 'history-moved'").get()) {
    history.prepare('ATTACH DATABASE ? AS legacy').run(main.name);
    try {
      history.transaction(() => {
        moved = history
          .prepare(
            `INSERT INTO main.history (time, kind, fingerprint, group_key, receiver, silence_id, alertname, labels, data)
             SELECT time, kind, fingerprint, group_key, receiver, silence_id, alertname, labels, data FROM legacy.history ORDER BY id`,
          )
          .run().changes;
        // the moved events' failed column, firing intervals and hourly counts, as the migration fills them
        history.exec('DELETE FROM history_firing; DELETE FROM history_hourly;');
        history.exec(FIRING_BACKFILL);
        history.prepare("INSERT INTO schema_migrations (module, version, applied_at) VALUES ('history-moved', 1, ?)").run(Date.now());
      })();
    } finally {
      history.exec('DETACH DATABASE legacy');
    }
  }
  main.transaction(() => {
    main.exec('DROP TABLE history; DROP TABLE IF EXISTS history_firing; DROP TABLE IF EXISTS history_hourly;');
    main.prepare("DELETE FROM schema_migrations WHERE module = 'history'").run();
  })();
  return moved;
}
