import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HistoryKind } from '../history/event';
import { buildSeries } from '../history/series';
import { openDatabase } from './db';
import { moveLegacyHistory, sqliteHistoryStorage } from './history';
import { events, runHistoryStorageContract } from './history-contract';
import { SqliteWriterThread } from './sqlite-writer-thread';

runHistoryStorageContract('sqlite', async () => sqliteHistoryStorage(openDatabase(':memory:')));


describe('sqlite history storage in its own file, written by a thread', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tocsin-history-thread-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes big batches through the thread and small ones itself while the thread is idle, in order', async () => {
    const db = openDatabase(dir, 'history.db');
    const writer = new SqliteWriterThread(db.name, { idleMs: 60_000 });
    try {
      const s = sqliteHistoryStorage(db, { writer, threadMin: 3 });
      await s.append(events().slice(0, 2)); // small, the thread not running: written here
      expect(writer.active).toBe(false);
      await s.append(events().slice(2)); // big: the thread starts
      expect(writer.active).toBe(true);
      await s.append([{ time: 5000, kind: 'config_reload' }]); // small, but the thread runs: through it
      const page = await s.query({ limit: 10 });
      expect(page.events.map((e) => `${e.kind}@${e.time}`)).toEqual([
        'config_reload@5000',
        'silence_created@4000',
        'alert_created@3000',
        'notification@3000',
        'alert_grouped@2000',
        'alert_created@1000',
      ]);
      const { id: _id, ...grouped } = page.events[4]!;
      expect(grouped).toEqual(events()[1]);
      expect(await s.deleteOlderThan(3000, 100)).toBe(2);
      expect(await s.count()).toBe(4);
    } finally {
      await writer.close();
      db.close();
    }
  });

  it('keeps the chart\'s intervals with the events the thread writes, and continues them after a restart', async () => {
    const labels = { alertname: 'Disk', team: 'db' };
    const created = (time: number, fp: string) => ({ time, kind: 'alert_created' as const, fingerprint: fp, labels });
    const resolved = (time: number, fp: string) => ({ time, kind: 'alert_resolved' as const, fingerprint: fp, labels, data: { by: 'endsAt' } });
    const chart = async (s: ReturnType<typeof sqliteHistoryStorage>, by: string) => {
      const q = { kind: 'alerts' as const, by, since: 0, until: 6000, step: 1000, top: 10 };
      return buildSeries(q, await s.series!(q)).series.map((x) => [x.name, x.values]);
    };
    let db = openDatabase(dir, 'history.db');
    let writer = new SqliteWriterThread(db.name, { idleMs: 60_000 });
    try {
      const s = sqliteHistoryStorage(db, { writer, threadMin: 1 });
      await s.append([created(0, 'a'), created(0, 'b'), resolved(1500, 'a')]);
      expect(writer.active).toBe(true);
      await s.append([resolved(2500, 'b'), created(2600, 'a')]);
      // the main connection wrote nothing: the intervals came with the events, through the thread
      expect(await chart(s, 'alertname')).toEqual([['Disk', [2, 2, 2, 1, 1, 1]]]);
      expect(await chart(s, 'team')).toEqual([['db', [2, 2, 2, 1, 1, 1]]]);
    } finally {
      await writer.close();
      db.close();
    }
    // a restarted server ends the interval opened before it (ids given in memory continue after the stored ones)
    db = openDatabase(dir, 'history.db');
    writer = new SqliteWriterThread(db.name, { idleMs: 60_000 });
    try {
      const s = sqliteHistoryStorage(db, { writer, threadMin: 1 });
      await s.append([resolved(3500, 'a'), created(4000, 'c'), created(4000, 'a')]);
      expect(await chart(s, 'team')).toEqual([['db', [2, 2, 2, 1, 2, 2]]]);
      expect((db.prepare('SELECT COUNT(*) AS n FROM history_firing').get() as { n: number }).n).toBe(5);
    } finally {
      await writer.close();
      db.close();
    }
  });

  it('opens a history.db of the older layout (every kind in the kind index), keeps its events and answers kind queries', async () => {
    let db = openDatabase(dir, 'history.db');
    await sqliteHistoryStorage(db).append(events());
    // the layout before the kind index left out the storm's kinds
    db.exec("DROP INDEX history_kind; CREATE INDEX history_kind ON history (kind, time, id); DELETE FROM schema_migrations WHERE module = 'history' AND version = 3");
    db.close();
    db = openDatabase(dir, 'history.db');
    try {
      const s = sqliteHistoryStorage(db);
      expect(await s.count()).toBe(5);
      const kinds = async (...k: HistoryKind[]) => (await s.query({ limit: 10, kinds: k })).events.map((e) => `${e.kind}@${e.time}`);
      expect(await kinds('notification', 'silence_created')).toEqual(['silence_created@4000', 'notification@3000']);
      expect(await kinds('alert_grouped')).toEqual(['alert_grouped@2000']);
      expect(await kinds('alert_created', 'notification')).toEqual(['alert_created@3000', 'notification@3000', 'alert_created@1000']);
      // new alerts' events are not in the kind index; the others are, and a query for them reads it
      expect((db.prepare("SELECT sql FROM sqlite_master WHERE name = 'history_kind'").get() as { sql: string }).sql).toMatch(/WHERE kind NOT IN \('alert_created', 'alert_grouped'\)$/);
      const plan = db.prepare("EXPLAIN QUERY PLAN SELECT id FROM history WHERE kind IN ('notification') AND kind NOT IN ('alert_created', 'alert_grouped') ORDER BY time DESC, id DESC LIMIT 5").all() as { detail: string }[];
      expect(plan.map((r) => r.detail).join()).toContain('history_kind');
    } finally {
      db.close();
    }
  });

  it('moves the events of an older store (the history table of tocsin.db) into its own file, once', async () => {
    const main = openDatabase(dir);
    const legacy = sqliteHistoryStorage(main);
    await legacy.append(events());
    const own = openDatabase(dir, 'history.db');
    try {
      const s = sqliteHistoryStorage(own);
      expect(moveLegacyHistory(main, own)).toBe(5);
      expect(main.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'history%'").get()).toBeUndefined();
      // the chart's intervals are rebuilt from the moved events
      const series = await s.series!({ kind: 'alerts', by: 'alertname', since: 0, until: 10_000, step: 10_000, top: 10 });
      expect(series.length).toBeGreaterThan(0);
      expect((await s.query({ limit: 10 })).events.map((e) => `${e.kind}@${e.time}`)).toEqual([
        'silence_created@4000',
        'alert_created@3000',
        'notification@3000',
        'alert_grouped@2000',
        'alert_created@1000',
      ]);
      expect(moveLegacyHistory(main, own)).toBe(0);
      // killed after the copy committed and before the old table was dropped: not copied twice
      sqliteHistoryStorage(main);
      main.prepare("INSERT INTO history (time, kind) VALUES (1, 'config_reload')").run();
      expect(moveLegacyHistory(main, own)).toBe(0);
      expect(await s.count()).toBe(5);
      expect(main.prepare("SELECT name FROM sqlite_master WHERE name = 'history'").get()).toBeUndefined();
    } finally {
      own.close();
      main.close();
    }
  });
});
