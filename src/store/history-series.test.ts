import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { HistoryEvent } from '../history/event';
import { buildSeries, type SeriesQuery, seriesWindow } from '../history/series';
import type { HistoryStorage } from '../history/storage';
import { type DB, openDatabase } from './db';
import { sqliteHistoryStorage } from './history';
import { firingByHand, randomHistory } from './history-series-contract';
import { SqliteWriterThread } from './sqlite-writer-thread';

const M = 60_000;
const H = 3600_000;

function created(time: number, fp: string, labels: Record<string, string>): HistoryEvent {
  return { time, kind: 'alert_created', fingerprint: fp, labels };
}
function resolved(time: number, fp: string, labels: Record<string, string>): HistoryEvent {
  return { time, kind: 'alert_resolved', fingerprint: fp, labels, data: { by: 'endsAt' } };
}
function attempt(time: number, receiver: string, outcome: 'success' | 'failure'): HistoryEvent {
  return { time, kind: 'notification', receiver, groupKey: '{}:{}', data: { integration: 'webhook', index: 0, attempt: 1, outcome, payload: '{"outcome":"failure"}' } };
}

async function chart(s: HistoryStorage, q: Omit<SeriesQuery, 'top'> & { top?: number }) {
  const full = { top: 10, ...q };
  const r = buildSeries(full, await s.series!(full));
  return Object.fromEntries(r.series.map((x) => [x.name, x.failures ? { values: x.values, failures: x.failures } : x.values]));
}

const disk = { alertname: 'Disk', team: 'db' };
const cpu = { alertname: 'Cpu', team: 'web' };

/** Back to the history's first schema version (no intervals, hourly counts or open index), with the events kept. */
function backToFirstVersion(db: DB): void {
  db.exec(`DROP TABLE history_firing; DROP TABLE history_hourly; DROP INDEX history_notification; ALTER TABLE history DROP COLUMN failed;
    DELETE FROM schema_migrations WHERE (module = 'history' AND version = 2) OR module = 'history-firing'`);
}

/** Back to the previous release's schema: the intervals without the open index (it read the open ones at start). */
function backToUnindexedOpen(db: DB): void {
  db.exec(`DROP INDEX history_firing_open; DROP TRIGGER history_firing_closed; DELETE FROM schema_migrations WHERE module = 'history-firing'`);
}

describe('history series on SQLite only (the cases both backends share are in history-series-contract.ts)', () => {
  it('builds the intervals of events stored before the chart existed (the migration)', async () => {
    const db = openDatabase(':memory:');
    await sqliteHistoryStorage(db).append([created(0, 'd1', disk), resolved(M, 'd1', disk), created(2 * M, 'd1', disk), attempt(0, 'pager', 'failure')]);
    // back to the first schema version, with the events kept
    backToFirstVersion(db);
    const again = sqliteHistoryStorage(db);
    expect(await chart(again, { kind: 'alerts', by: 'alertname', since: 0, until: 4 * M, step: M })).toEqual({ Disk: [1, 1, 1, 1] });
    expect(await chart(again, { kind: 'notifications', by: 'receiver', since: 0, until: M, step: M })).toEqual({ pager: { values: [1], failures: [1] } });
    // and the hourly counts (both of the alert's firing intervals touch the first hour)
    expect(await chart(again, { kind: 'alerts', by: 'alertname', since: 0, until: 2 * H, step: H })).toEqual({ Disk: [2, 1] });
    expect(await chart(again, { kind: 'notifications', by: 'receiver', since: 0, until: H, step: H })).toEqual({ pager: { values: [1], failures: [1] } });
  });

  it('ends an alert\'s older open interval where it fired again (history from before the intervals)', async () => {
    const db = openDatabase(':memory:');
    await sqliteHistoryStorage(db).append([created(0, 'd1', disk)]);
    backToFirstVersion(db);
    // recorded twice without a resolution in between (not something the recorder does now)
    db.prepare(`INSERT INTO history (time, kind, fingerprint, alertname, labels) VALUES (?, 'alert_created', 'd1', 'Disk', ?)`).run(2 * M, JSON.stringify(disk));
    const again = sqliteHistoryStorage(db);
    expect(await chart(again, { kind: 'alerts', by: 'alertname', since: 0, until: 4 * M, step: M })).toEqual({ Disk: [1, 1, 2, 1] });
    await again.append([resolved(3 * M + 1, 'd1', disk)]);
    expect(await chart(again, { kind: 'alerts', by: 'alertname', since: 0, until: 5 * M, step: M })).toEqual({ Disk: [1, 1, 2, 1, 0] });
  });

  it('reopened on a file with open intervals, ends them with the first events recorded', async () => {
    const db = openDatabase(':memory:');
    await sqliteHistoryStorage(db).append([created(0, 'd1', disk), created(0, 'c1', cpu)]);
    const again = sqliteHistoryStorage(db);
    // no chart read before: recording is the first use
    await again.append([resolved(2 * M + 1, 'd1', disk), created(2 * M + 2, 'd1', disk), created(M, 'c1', cpu)]);
    expect(await chart(again, { kind: 'alerts', by: 'alertname', since: 0, until: 4 * M, step: M })).toEqual({ Disk: [1, 1, 2, 1], Cpu: [1, 1, 1, 1] });
    expect(await chart(again, { kind: 'alerts', by: 'alertname', since: 0, until: H, step: H })).toEqual({ Disk: [2], Cpu: [1] });
  });

  it('reads no firing interval when it opens: SQLite knows the open ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tocsin-series-'));
    try {
      const db = openDatabase(dir);
      await sqliteHistoryStorage(db).append([created(0, 'd1', disk), created(0, 'c1', cpu)]);
      db.close();
      const ran: string[] = [];
      const logged = new Database(join(dir, 'tocsin.db'), { verbose: (sql) => ran.push(String(sql)) });
      try {
        const again = sqliteHistoryStorage(logged);
        // the id the next interval gets is one index look-up; no interval row is read
        expect(ran.filter((sql) => /FROM history_firing/.test(sql) && !/MAX\(id\)/.test(sql))).toEqual([]);
        await again.append([resolved(M, 'd1', disk), created(M, 'c1', cpu)]);
        expect(await chart(again, { kind: 'alerts', by: 'alertname', since: 0, until: 3 * M, step: M })).toEqual({ Disk: [1, 1, 0], Cpu: [1, 1, 1] });
      } finally {
        logged.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the intervals right when the history thread writes them (an alert ending and firing again in one batch)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tocsin-series-'));
    const db = openDatabase(dir);
    const writer = new SqliteWriterThread(db.name, { idleMs: 60_000 });
    try {
      const s = sqliteHistoryStorage(db, { writer, threadMin: 1 });
      const { events, spans, end } = randomHistory(11, 2000);
      for (let i = 0; i < events.length; i += 97) await s.append(events.slice(i, i + 97));
      await s.append([resolved(end + 1, 'f1', disk), created(end + 2, 'f1', disk), resolved(end + 3, 'f1', disk), created(end + 4, 'f1', disk), created(end + 5, 'f1', disk)]);
      expect(writer.active).toBe(true);
      const n = Math.floor(end / H);
      expect(await chart(s, { kind: 'alerts', by: 'team', since: 0, until: n * H, step: H })).toEqual(firingByHand(spans, 'team', 0, H, n));
      expect(await chart(s, { kind: 'alerts', by: 'alertname', since: 0, until: n * H, step: H })).toEqual(firingByHand(spans, 'name', 0, H, n));
      const f1 = db.prepare("SELECT started, ended FROM history_firing WHERE fingerprint = 'f1' AND started > ? ORDER BY started").all(end);
      expect(f1).toEqual([{ started: end + 2, ended: end + 3 }, { started: end + 4, ended: null }]);
    } finally {
      await writer.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('migrates the previous release\'s intervals: an alert\'s older open one ends where it fired again, and the hour counts it', async () => {
    const db = openDatabase(':memory:');
    await sqliteHistoryStorage(db).append([created(0, 'd1', disk), created(0, 'c1', cpu)]);
    backToUnindexedOpen(db);
    // a second open interval of d1, as the previous release could leave it (it ended it at its next start)
    db.prepare(`INSERT INTO history_firing (fingerprint, alertname, labels, started) VALUES ('d1', 'Disk', jsonb(?), ?)`).run(JSON.stringify(disk), 2 * M);
    db.prepare(`INSERT INTO history_hourly (kind, series, hour, a, b) VALUES ('firing', 'Disk', 0, 1, 0) ON CONFLICT (kind, hour, series) DO UPDATE SET a = a + 1`).run();
    const again = sqliteHistoryStorage(db);
    expect(await chart(again, { kind: 'alerts', by: 'alertname', since: 0, until: 4 * M, step: M })).toEqual({ Disk: [1, 1, 2, 1], Cpu: [1, 1, 1, 1] });
    expect(await chart(again, { kind: 'alerts', by: 'alertname', since: 0, until: 2 * H, step: H })).toEqual({ Disk: [2, 1], Cpu: [1, 1] });
    await again.append([resolved(3 * M, 'd1', disk), created(3 * M, 'c1', cpu)]);
    expect(await chart(again, { kind: 'alerts', by: 'alertname', since: 0, until: 5 * M, step: M })).toEqual({ Disk: [1, 1, 2, 1, 0], Cpu: [1, 1, 1, 1, 1] });
    expect(await chart(again, { kind: 'alerts', by: 'alertname', since: 0, until: 2 * H, step: H })).toEqual({ Disk: [2, 0], Cpu: [1, 1] });
  });

  it('aligns the window on whole steps', () => {
    expect(seriesWindow(61_000, 179_000, M)).toEqual({ since: M, until: 3 * M, buckets: 2 });
    expect(seriesWindow(M, M, M)).toEqual({ since: M, until: 2 * M, buckets: 1 });
  });
});
