import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from './db';
import { moveLegacyHistory, sqliteHistoryStorage } from './history';
import { SqliteWriterThread } from './sqlite-writer-thread';
import type { HistoryEvent } from '../history/event';
import type { HistoryCursor } from '../history/storage';

function events(): HistoryEvent[] {
  return [
    { time: 1000, kind: 'alert_created', fingerprint: 'a1', labels: { alertname: 'Disk', team: 'db' } },
    { time: 2000, kind: 'alert_grouped', fingerprint: 'a1', labels: { alertname: 'Disk', team: 'db' }, groupKey: '{}:{}', receiver: 'pager' },
    { time: 3000, kind: 'notification', groupKey: '{}:{}', receiver: 'pager', data: { status: 200, attempt: 1 } },
    { time: 3000, kind: 'alert_created', fingerprint: 'b2', labels: { alertname: 'Cpu', team: 'web' } },
    { time: 4000, kind: 'silence_created', silenceId: 's1', data: { createdBy: 'ann' } },
  ];
}

describe('sqlite history storage', () => {
  it('returns events newest first with every field, same-time events by insertion order', async () => {
    const s = sqliteHistoryStorage(openDatabase(':memory:'));
    await s.append(events());
    const page = await s.query({ limit: 10 });
    expect(page.next).toBeUndefined();
    expect(page.events.map((e) => [e.time, e.kind])).toEqual([
      [4000, 'silence_created'],
      [3000, 'alert_created'],
      [3000, 'notification'],
      [2000, 'alert_grouped'],
      [1000, 'alert_created'],
    ]);
    const { id: _id, ...grouped } = page.events[3]!;
    expect(grouped).toEqual(events()[1]);
    expect(page.events[0]).toMatchObject({ silenceId: 's1', data: { createdBy: 'ann' } });
  });

  it('filters by fingerprint, receiver, kinds, time window and labels', async () => {
    const s = sqliteHistoryStorage(openDatabase(':memory:'));
    await s.append(events());
    const kinds = async (q: Parameters<typeof s.query>[0]) => (await s.query(q)).events.map((e) => `${e.kind}@${e.time}`);
    expect(await kinds({ limit: 10, fingerprint: 'a1' })).toEqual(['alert_grouped@2000', 'alert_created@1000']);
    expect(await kinds({ limit: 10, receiver: 'pager' })).toEqual(['notification@3000', 'alert_grouped@2000']);
    expect(await kinds({ limit: 10, kinds: ['alert_created', 'silence_created'] })).toEqual(['silence_created@4000', 'alert_created@3000', 'alert_created@1000']);
    expect(await kinds({ limit: 10, since: 2000, until: 4000 })).toEqual(['alert_created@3000', 'notification@3000', 'alert_grouped@2000']);
    expect(await kinds({ limit: 10, match: (l) => l.team === 'web' })).toEqual(['alert_created@3000']);
    expect(await kinds({ limit: 10, alertname: 'Disk' })).toEqual(['alert_grouped@2000', 'alert_created@1000']);
  });

  it('pages with a cursor, also through a label filter that drops rows', async () => {
    const s = sqliteHistoryStorage(openDatabase(':memory:'));
    const many: HistoryEvent[] = [];
    for (let i = 0; i < 1200; i++) many.push({ time: 1000 + Math.floor(i / 3), kind: 'alert_created', fingerprint: `f${i}`, labels: { n: String(i), odd: String(i % 2) } });
    await s.append(many);
    const seen: string[] = [];
    let after: HistoryCursor | undefined;
    for (;;) {
      const p = await s.query({ limit: 7, match: (l) => l.odd === '1', ...(after ? { after } : {}) });
      seen.push(...p.events.map((e) => e.fingerprint!));
      if (!p.next) break;
      after = p.next;
    }
    expect(seen).toHaveLength(600);
    expect(new Set(seen).size).toBe(600);
    expect(seen[0]).toBe('f1199');
    // a filter matching nothing ends the page at the scan limit with a cursor to continue
    const none = await s.query({ limit: 5, match: () => false, scanLimit: 500 });
    expect(none.events).toEqual([]);
    expect(none.next).toBeDefined();
  });

  it('deletes old events and trims to the newest N in bounded batches', async () => {
    const s = sqliteHistoryStorage(openDatabase(':memory:'));
    await s.append(events());
    expect(await s.deleteOlderThan(3000, 1)).toBe(1);
    expect(await s.deleteOlderThan(3000, 10)).toBe(1);
    expect(await s.count()).toBe(3);
    expect(await s.trimToNewest(1, 1)).toBe(1);
    expect(await s.trimToNewest(1, 10)).toBe(1);
    expect((await s.query({ limit: 10 })).events.map((e) => e.kind)).toEqual(['silence_created']);
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

  it('moves the events of an older store (the history table of tocsin.db) into its own file, once', async () => {
    const main = openDatabase(dir);
    const legacy = sqliteHistoryStorage(main);
    await legacy.append(events());
    const own = openDatabase(dir, 'history.db');
    try {
      const s = sqliteHistoryStorage(own);
      expect(moveLegacyHistory(main, own)).toBe(5);
      expect(main.prepare("SELECT name FROM sqlite_master WHERE name = 'history'").get()).toBeUndefined();
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
