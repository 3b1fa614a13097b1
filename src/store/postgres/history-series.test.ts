/**
 * The History chart on PostgreSQL (history-series.ts, migration 6): the series contract, the same charts as
 * SQLite for the same random history, one interval per alert however many replicas record it and in whatever
 * order their batches commit, the intervals of events stored before migration 6, and notifications written
 * without the failed column (a replica of the previous release).
 */
import { openDatabase } from '../db';
import type { HistoryEvent } from '../../history/event';
import { sqliteHistoryStorage } from '../history';
import { attempt, chart, created, randomHistory, resolved, runHistorySeriesContract } from '../history-series-contract';
import { PgHistoryStorage } from './history';
import { migrate } from './migrate';
import { MIGRATIONS } from './schema';
import { createTestDatabase, useReplicas } from './testing/database';
import pg from 'pg';

const M = 60_000;
const H = 3600_000;
const disk = { alertname: 'Disk', team: 'db' };

describe('PgHistoryStorage series', () => {
  const replicas = useReplicas(2, 'history, history_firing, history_alerts, history_hourly');
  const r1 = () => new PgHistoryStorage(replicas[0]!.pool);
  const r2 = () => new PgHistoryStorage(replicas[1]!.pool);

  runHistorySeriesContract('postgres', async () => r1());

  test('gives the same charts as SQLite for the same random history', async () => {
    const sqlite = sqliteHistoryStorage(openDatabase(':memory:'));
    // at real epoch times (2026), as the API asks
    const T0 = Date.UTC(2026, 0, 1);
    const random = randomHistory(11, 4000);
    const events = random.events.map((e) => ({ ...e, time: e.time + T0 }));
    const end = random.end;
    for (let i = 0; i < events.length; i += 250) {
      await sqlite.append(events.slice(i, i + 250));
      await r1().append(events.slice(i, i + 250));
    }
    const queries = [
      { since: 0, until: Math.ceil(end / H) * H, step: H },
      { since: 5 * H, until: 25 * H, step: 10 * M },
      { since: 7 * M, until: 7 * M + 300 * 17 * M, step: 17 * M },
      { since: 2 * H, until: 2 * H + 1000 * 30_000, step: 30_000 },
    ];
    for (const w of queries) {
      for (const by of ['alertname', 'team', 'nolabel']) {
        const q = { kind: 'alerts' as const, by, since: w.since + T0, until: w.until + T0, step: w.step };
        expect(await chart(r2(), q)).toEqual(await chart(sqlite, q));
      }
      const q = { kind: 'notifications' as const, by: 'receiver', since: w.since + T0, until: w.until + T0, step: w.step };
      expect(await chart(r2(), q)).toEqual(await chart(sqlite, q));
    }
  });

  test('an alert recorded by two replicas is one interval, whatever order their batches commit in', async () => {
    // both replicas receive the alert: r1 records it first; r2's events come a little later each time
    const a: HistoryEvent[] = [created(0, 'd1', disk), resolved(10 * M, 'd1', disk), created(20 * M, 'd1', disk)];
    const b: HistoryEvent[] = [created(5_000, 'd1', disk), resolved(10 * M + 2_000, 'd1', disk), created(20 * M + 3_000, 'd1', disk)];
    const want = { Disk: [1, 1, 1, 0, 1] }; // [0, 10 m] touches buckets 0-2 (its end inclusive), then from 20 m
    const q = { kind: 'alerts' as const, by: 'alertname', since: 0, until: 25 * M, step: 5 * M };
    // in step: each event as it happens
    for (let i = 0; i < 3; i++) {
      await r1().append([a[i]!]);
      await r2().append([b[i]!]);
    }
    expect(await chart(r1(), q)).toEqual(want);
    // r2 lagging: its whole batch commits after r1's re-firing
    await replicas[0]!.pool.query('TRUNCATE history, history_firing, history_alerts, history_hourly');
    await r1().append(a);
    await r2().append(b);
    expect(await chart(r2(), q)).toEqual(want);
    // r2 first, then r1's events one at a time
    await replicas[0]!.pool.query('TRUNCATE history, history_firing, history_alerts, history_hourly');
    await r2().append(b);
    for (const e of a) await r1().append([e]);
    expect(await chart(r1(), q)).toEqual(want);
    // many concurrent batches of both replicas over many alerts: still one interval per firing
    await replicas[0]!.pool.query('TRUNCATE history, history_firing, history_alerts, history_hourly');
    const fps = Array.from({ length: 200 }, (_, i) => `f${i}`);
    const batch = (t: number, kind: 'created' | 'resolved', order: string[]) => order.map((fp) => (kind === 'created' ? created : resolved)(t, fp, { alertname: 'Many' }));
    await Promise.all([
      r1().append(batch(0, 'created', fps)),
      r2().append(batch(1000, 'created', [...fps].reverse())),
      r1().append(batch(1000, 'created', fps)),
      r2().append(batch(2000, 'created', fps)),
    ]);
    await Promise.all([r1().append(batch(6 * M, 'resolved', fps)), r2().append(batch(6 * M + 10, 'resolved', [...fps].reverse()))]);
    expect(await chart(r1(), { kind: 'alerts', by: 'alertname', since: 0, until: 10 * M, step: 5 * M })).toEqual({ Many: [200, 200] });
    const { rows } = await replicas[0]!.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM history_firing');
    expect(rows[0]!.n).toBe(200);
    // and the hourly counts agree (whole-hour buckets read them)
    expect(await chart(r2(), { kind: 'alerts', by: 'alertname', since: 0, until: 2 * H, step: H })).toEqual({ Many: [200, 0] });
    const hourly = await replicas[0]!.pool.query<{ a: number; b: number }>("SELECT sum(a)::int AS a, sum(b)::int AS b FROM history_hourly WHERE kind = 'firing'");
    expect(hourly.rows[0]).toEqual({ a: 200, b: 200 });
  });

  test('an event older than the history already stored (a late batch, a copy) redoes the intervals after it', async () => {
    await r1().append([created(10 * M, 'd1', disk), resolved(20 * M, 'd1', disk)]);
    // recorded elsewhere earlier: fired at 0, resolved at 5 m
    await r2().append([created(0, 'd1', disk), resolved(5 * M, 'd1', disk)]);
    expect(await chart(r1(), { kind: 'alerts', by: 'alertname', since: 0, until: 25 * M, step: 5 * M })).toEqual({ Disk: [1, 1, 1, 1, 1] });
    const { rows } = await replicas[0]!.pool.query<{ started: string; ended: string }>('SELECT started, ended FROM history_firing ORDER BY started');
    expect(rows.map((r) => [Number(r.started), Number(r.ended)])).toEqual([
      [0, 5 * M],
      [10 * M, 20 * M],
    ]);
    await r1().append([created(H + M, 'd1', disk)]);
    expect(await chart(r1(), { kind: 'alerts', by: 'alertname', since: 0, until: 3 * H, step: H })).toEqual({ Disk: [2, 1, 1] });
  });

  test('notifications inserted without the failed column are counted as failed from their outcome', async () => {
    await replicas[0]!.pool.query(
      `INSERT INTO history (time, kind, receiver, data) VALUES (0, 'notification', 'pager', '{"outcome":"failure"}'), (1, 'notification', 'pager', '{"outcome":"success"}')`,
    );
    await r1().append([attempt(2, 'pager', 'failure')]);
    expect(await chart(r2(), { kind: 'notifications', by: 'receiver', since: 0, until: M, step: M })).toEqual({ pager: { values: [3], failures: [2] } });
  });
});

describe('PostgreSQL migration 6', () => {
  test('builds the firing intervals and failed marks of the events stored before it', async () => {
    const db = await createTestDatabase();
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    try {
      await migrate(pool, MIGRATIONS.slice(0, 5));
      const rows: [number, string, string | null, string | null, string | null][] = [
        [0, 'alert_created', 'd1', JSON.stringify(disk), null],
        [1000, 'alert_created', 'd1', JSON.stringify(disk), null], // a second replica's record of it
        [M, 'alert_resolved', 'd1', JSON.stringify(disk), '{"by":"endsAt"}'],
        [3 * M, 'alert_created', 'd1', JSON.stringify(disk), null],
        [0, 'notification', null, null, '{"outcome":"failure","status":500}'],
      ];
      for (const [time, kind, fp, labels, data] of rows) {
        await pool.query(`INSERT INTO history (time, kind, fingerprint, alertname, labels, receiver, data) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
          time,
          kind,
          fp,
          fp ? 'Disk' : null,
          labels,
          fp ? null : 'pager',
          data,
        ]);
      }
      expect((await migrate(pool)).applied).toEqual(MIGRATIONS.slice(5).map((_, i) => i + 6)); // 6 and those after it
      const s = new PgHistoryStorage(pool);
      expect(await chart(s, { kind: 'alerts', by: 'alertname', since: 0, until: 5 * M, step: M })).toEqual({ Disk: [1, 1, 0, 1, 1] });
      expect(await chart(s, { kind: 'alerts', by: 'team', since: 0, until: 5 * M, step: M })).toEqual({ db: [1, 1, 0, 1, 1] });
      expect(await chart(s, { kind: 'notifications', by: 'receiver', since: 0, until: M, step: M })).toEqual({ pager: { values: [1], failures: [1] } });
      // and the hourly counts (both of the alert's intervals touch the first hour)
      expect(await chart(s, { kind: 'alerts', by: 'alertname', since: 0, until: 2 * H, step: H })).toEqual({ Disk: [2, 1] });
      expect(await chart(s, { kind: 'notifications', by: 'receiver', since: 0, until: H, step: H })).toEqual({ pager: { values: [1], failures: [1] } });
      // and new events carry on from there
      await s.append([resolved(4 * M + 1, 'd1', disk)]);
      expect(await chart(s, { kind: 'alerts', by: 'alertname', since: 0, until: 6 * M, step: M })).toEqual({ Disk: [1, 1, 0, 1, 1, 0] });
    } finally {
      await pool.end();
      await db.drop();
    }
  });
});
