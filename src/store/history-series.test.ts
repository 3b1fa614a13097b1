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
const mem = { alertname: 'Mem' };

describe('history series (the History chart)', () => {
  let s: HistoryStorage;
  beforeEach(() => {
    s = sqliteHistoryStorage(openDatabase(':memory:'));
  });

  it('counts an alert in every bucket its firing interval touches, before and after the window included', async () => {
    await s.append([
      created(0, 'd1', disk), // before the window, resolved inside it
      created(10 * M + 5, 'd2', disk), // inside, never resolved
      created(12 * M, 'c1', cpu),
      resolved(12 * M + 30_000, 'c1', cpu), // fires and resolves within one bucket
      created(13 * M, 'm1', mem), // resolved after the window
      resolved(11 * M + 1, 'd1', disk),
      resolved(99 * M, 'm1', mem),
      created(20 * M, 'c2', cpu), // after the window: not counted
    ]);
    // buckets of 1 m from 10 m to 15 m
    expect(await chart(s, { kind: 'alerts', by: 'alertname', since: 10 * M, until: 15 * M, step: M })).toEqual({
      Disk: [2, 2, 1, 1, 1],
      Mem: [0, 0, 0, 1, 1],
      Cpu: [0, 0, 1, 0, 0],
    });
  });

  it('counts an alert again when it fires again after resolving, and ignores a second resolution', async () => {
    await s.append([created(0, 'd1', disk), resolved(M, 'd1', disk), resolved(M + 1, 'd1', disk), created(3 * M, 'd1', disk), created(3 * M + 1, 'd2', disk)]);
    expect(await chart(s, { kind: 'alerts', by: 'alertname', since: 0, until: 5 * M, step: M })).toEqual({ Disk: [1, 1, 0, 2, 2] });
  });

  it('stacks by a label, alerts without it under ""', async () => {
    await s.append([created(0, 'd1', disk), created(0, 'c1', cpu), created(0, 'c2', { ...cpu, instance: 'b' }), created(0, 'm1', mem)]);
    expect(await chart(s, { kind: 'alerts', by: 'team', since: 0, until: 2 * M, step: M })).toEqual({ web: [2, 2], db: [1, 1], '': [1, 1] });
  });

  it('keeps the top N series by total and sums the rest as "other"', async () => {
    const evs: HistoryEvent[] = [];
    // alertname An fires n alerts
    for (let n = 1; n <= 5; n++) for (let i = 0; i < n; i++) evs.push(created(0, `f${n}-${i}`, { alertname: `A${n}` }));
    await s.append(evs);
    const r = buildSeries({ kind: 'alerts', by: 'alertname', since: 0, until: M, step: M, top: 2 }, await s.series!({ kind: 'alerts', by: 'alertname', since: 0, until: M, step: M, top: 2 }));
    expect(r.series).toEqual([
      { name: 'A5', values: [5] },
      { name: 'A4', values: [4] },
      { name: 'other', other: true, values: [3 + 2 + 1] },
    ]);
  });

  it('counts notification attempts per receiver and bucket, failures apart', async () => {
    await s.append([attempt(0, 'pager', 'failure'), attempt(1000, 'pager', 'success'), attempt(M, 'slack', 'success'), attempt(2 * M, 'pager', 'success'), attempt(5 * M, 'pager', 'failure')]);
    expect(await chart(s, { kind: 'notifications', by: 'receiver', since: 0, until: 3 * M, step: M })).toEqual({
      pager: { values: [2, 0, 1], failures: [1, 0, 0] },
      slack: { values: [0, 1, 0], failures: [0, 0, 0] },
    });
  });

  it('forgets intervals that ended before the retention cut', async () => {
    await s.append([created(0, 'd1', disk), resolved(M, 'd1', disk), created(0, 'd2', disk)]);
    await s.deleteOlderThan(2 * M, 1000);
    expect(await chart(s, { kind: 'alerts', by: 'alertname', since: 0, until: 3 * M, step: M })).toEqual({ Disk: [1, 1, 1] });
  });

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

  it('answers whole-hour steps from the hourly counts exactly as a count over the intervals does', async () => {
    // a seeded random history: alerts of 3 names firing and resolving, attempts of 2 receivers
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const evs: HistoryEvent[] = [];
    const spans: { name: string; start: number; end?: number }[] = [];
    const open = new Map<string, (typeof spans)[number]>();
    let t = 0;
    for (let i = 0; i < 3000; i++) {
      t += rnd(4 * M);
      const fp = `f${rnd(40)}`;
      const name = `A${Number(fp.slice(1)) % 3}`;
      const span = open.get(fp);
      if (rnd(5) === 0) {
        evs.push(attempt(t, `r${rnd(2)}`, rnd(3) === 0 ? 'failure' : 'success'));
      } else if (span) {
        evs.push(resolved(t, fp, { alertname: name }));
        span.end = t;
        open.delete(fp);
      } else {
        evs.push(created(t, fp, { alertname: name }));
        const sp = { name, start: t };
        spans.push(sp);
        open.set(fp, sp);
      }
    }
    // appended in batches, as the writer does
    for (let i = 0; i < evs.length; i += 100) await s.append(evs.slice(i, i + 100));
    const since = 3 * H;
    const step = 2 * H;
    const n = Math.floor((t - 4 * H - since) / step);
    const until = since + n * step;
    expect(n).toBeGreaterThan(10);
    const firing = (since: number, step: number, n: number) => {
      const out: Record<string, number[]> = {};
      for (const sp of spans) {
        for (let b = 0; b < n; b++) {
          const b0 = since + b * step;
          if (sp.start < b0 + step && (sp.end === undefined || sp.end >= b0)) {
            const row = (out[sp.name] ??= new Array<number>(n).fill(0));
            row[b] = row[b]! + 1;
          }
        }
      }
      return out;
    };
    expect(await chart(s, { kind: 'alerts', by: 'alertname', since, until, step })).toEqual(firing(since, step, n));
    const sent: Record<string, { values: number[]; failures: number[] }> = {};
    for (const e of evs) {
      if (e.kind !== 'notification' || e.time < since || e.time >= until) continue;
      const b = Math.floor((e.time - since) / step);
      const r = (sent[e.receiver!] ??= { values: new Array<number>(n).fill(0), failures: new Array<number>(n).fill(0) });
      r.values[b] = r.values[b]! + 1;
      if (e.data?.outcome === 'failure') r.failures[b] = r.failures[b]! + 1;
    }
    expect(await chart(s, { kind: 'notifications', by: 'receiver', since, until, step })).toEqual(sent);
    // the same over the intervals (a step of 119 minutes is not whole hours)
    const odd = 119 * M;
    expect(await chart(s, { kind: 'alerts', by: 'alertname', since: odd, until: 21 * odd, step: odd })).toEqual(firing(odd, odd, 20));
  });

  it('aligns the window on whole steps', () => {
    expect(seriesWindow(61_000, 179_000, M)).toEqual({ since: M, until: 3 * M, buckets: 2 });
    expect(seriesWindow(M, M, M)).toEqual({ since: M, until: 2 * M, buckets: 1 });
  });
});
