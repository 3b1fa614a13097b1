import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HistoryEvent, HistoryKind } from '../history/event';
import { sqliteStateParts } from './copy-state-sqlite';
import { buildSeries } from '../history/series';
import { openDatabase } from './db';
import { moveLegacyHistory, sqliteHistoryStorage } from './history';
import { events, runHistoryStorageContract } from './history-contract';
import { SqliteWriterThread } from './sqlite-writer-thread';

runHistoryStorageContract('sqlite', async () => sqliteHistoryStorage(openDatabase(':memory:')));


describe('sqlite history: a first-seen alert in one row', () => {
  const labels = { alertname: 'Disk', team: 'db' };
  const pair = (fp: string, time = 5000): HistoryEvent[] => [
    { time, kind: 'alert_created', fingerprint: fp, labels, data: { startsAt: 4000 } },
    { time, kind: 'alert_grouped', fingerprint: fp, labels, groupKey: '{}:{}', receiver: 'pager' },
  ];

  it('stores an alert_created and the alert_grouped following it in the same millisecond as one row, two events on read', async () => {
    const db = openDatabase(':memory:');
    const s = sqliteHistoryStorage(db);
    // a and b are first seen (one row each); c's grouped comes a millisecond later and d's after another event of d
    const d = pair('d');
    await s.append([...pair('a'), pair('b')[0]!, pair('b')[1]!, pair('c')[0]!, { ...pair('c')[1]!, time: 5001 }, d[0]!, { time: 5000, kind: 'alert_resolved', fingerprint: 'd', labels }, d[1]!]);
    const rows = (db.prepare('SELECT COUNT(*) AS n FROM history').get() as { n: number }).n;
    expect(rows).toBe(2 + 2 + 3);
    expect(await s.count()).toBe(9);
    const page = await s.query({ limit: 20 });
    expect(page.events.map((e) => `${e.kind}:${e.fingerprint}`).reverse()).toEqual([
      'alert_created:a',
      'alert_grouped:a',
      'alert_created:b',
      'alert_grouped:b',
      'alert_created:c',
      'alert_created:d',
      'alert_resolved:d',
      'alert_grouped:d',
      'alert_grouped:c',
    ]);
    const { id: _a, ...grouped } = page.events.find((e) => e.kind === 'alert_grouped' && e.fingerprint === 'a')!;
    expect(grouped).toEqual(pair('a')[1]);
    const { id: _b, ...created } = page.events.find((e) => e.kind === 'alert_created' && e.fingerprint === 'a')!;
    expect(created).toEqual(pair('a')[0]);
    // the created event's id is the one below its row's: nothing else gets it
    await s.append([{ time: 5000, kind: 'config_reload' }]);
    const ids = (await s.query({ limit: 20 })).events.map((e) => e.id);
    expect(new Set(ids).size).toBe(10);
    // c's grouped (5001) first, then the millisecond 5000 by id
    expect(ids).toEqual([6, 10, 9, 8, 7, 5, 4, 3, 2, 1]);
    // retention counts events: 9 in millisecond 5000 (7 rows)
    expect(await s.deleteOlderThan(5001, 100)).toBe(9);
    expect(await s.count()).toBe(1);
    db.close();
  });

  it('tocsinctl storage copy reads a pair row as its two events', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tocsin-history-pair-'));
    try {
      const main = openDatabase(dir);
      const own = openDatabase(dir, 'history.db');
      await sqliteHistoryStorage(own).append([...pair('a'), ...pair('b')]);
      const parts = sqliteStateParts(main, dir);
      const read: string[] = [];
      let after: { time: number; id: number } | undefined;
      for (;;) {
        const batch = await parts.history!.read!(after, 1);
        if (batch.length === 0) break;
        read.push(...batch.map((r) => `${r.kind}:${r.fingerprint}:${r.receiver ?? ''}:${r.data ?? ''}`));
        after = { time: batch[0]!.time, id: batch[0]!.id };
      }
      expect(read).toEqual(['alert_created:a::{"startsAt":4000}', 'alert_grouped:a:pager:', 'alert_created:b::{"startsAt":4000}', 'alert_grouped:b:pager:']);
      parts.close();
      own.close();
      main.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

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
