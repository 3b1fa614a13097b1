import type { HistoryEvent } from '../history/event';
import { buildSeries, type SeriesQuery, seriesWindow } from '../history/series';
import type { HistoryStorage } from '../history/storage';
import { openDatabase } from './db';
import { sqliteHistoryStorage } from './history';

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

describe('history series on SQLite only (the cases both backends share are in history-series-contract.ts)', () => {
  it('builds the intervals of events stored before the chart existed (the migration)', async () => {
    const db = openDatabase(':memory:');
    await sqliteHistoryStorage(db).append([created(0, 'd1', disk), resolved(M, 'd1', disk), created(2 * M, 'd1', disk), attempt(0, 'pager', 'failure')]);
    // back to the first schema version, with the events kept
    db.exec(`DROP TABLE history_firing; DROP TABLE history_hourly; DROP INDEX history_notification; ALTER TABLE history DROP COLUMN failed;
      DELETE FROM schema_migrations WHERE module = 'history' AND version = 2`);
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
    db.exec(`DROP TABLE history_firing; DROP TABLE history_hourly; DROP INDEX history_notification; ALTER TABLE history DROP COLUMN failed;
      DELETE FROM schema_migrations WHERE module = 'history' AND version = 2`);
    // recorded twice without a resolution in between (not something the recorder does now)
    db.prepare(`INSERT INTO history (time, kind, fingerprint, alertname, labels) VALUES (?, 'alert_created', 'd1', 'Disk', ?)`).run(2 * M, JSON.stringify(disk));
    const again = sqliteHistoryStorage(db);
    expect(await chart(again, { kind: 'alerts', by: 'alertname', since: 0, until: 4 * M, step: M })).toEqual({ Disk: [1, 1, 2, 1] });
    await again.append([resolved(3 * M + 1, 'd1', disk)]);
    expect(await chart(again, { kind: 'alerts', by: 'alertname', since: 0, until: 5 * M, step: M })).toEqual({ Disk: [1, 1, 2, 1, 0] });
  });

  it('reopened on a file with open intervals, closes them on the first events recorded (read on first use)', async () => {
    const db = openDatabase(':memory:');
    await sqliteHistoryStorage(db).append([created(0, 'd1', disk), created(0, 'c1', cpu)]);
    const again = sqliteHistoryStorage(db);
    // no chart read before: recording is the first use
    await again.append([resolved(2 * M + 1, 'd1', disk), created(2 * M + 2, 'd1', disk), created(M, 'c1', cpu)]);
    expect(await chart(again, { kind: 'alerts', by: 'alertname', since: 0, until: 4 * M, step: M })).toEqual({ Disk: [1, 1, 2, 1], Cpu: [1, 1, 1, 1] });
    expect(await chart(again, { kind: 'alerts', by: 'alertname', since: 0, until: H, step: H })).toEqual({ Disk: [2], Cpu: [1] });
  });

  it('aligns the window on whole steps', () => {
    expect(seriesWindow(61_000, 179_000, M)).toEqual({ since: M, until: 3 * M, buckets: 2 });
    expect(seriesWindow(M, M, M)).toEqual({ since: M, until: 2 * M, buckets: 1 });
  });
});
