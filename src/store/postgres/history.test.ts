import { HistoryRetention } from '../../history/retention';
import type { HistoryEvent } from '../../history/event';
import { runHistoryStorageContract } from '../history-contract';
import { PgHistoryStorage } from './history';
import { useReplicas } from './testing/database';

describe('PgHistoryStorage', () => {
  const replicas = useReplicas(2, 'history');
  const r1 = () => new PgHistoryStorage(replicas[0]!.pool);
  const r2 = () => new PgHistoryStorage(replicas[1]!.pool);

  runHistoryStorageContract('postgres', async () => r1());

  test('events from every replica go to one table: a query on either sees all, in time order', async () => {
    const a: HistoryEvent[] = [
      { time: 1000, kind: 'notification', receiver: 'pager', groupKey: 'g', data: { outcome: 'success', status: 202 } },
      { time: 3000, kind: 'alert_resolved', fingerprint: 'f1', labels: { alertname: 'Disk' } },
    ];
    const b: HistoryEvent[] = [{ time: 2000, kind: 'silence_created', silenceId: 's1', data: { createdBy: 'bob' } }];
    await Promise.all([r1().append(a), r2().append(b)]);
    for (const s of [r1(), r2()]) {
      const page = await s.query({ limit: 10 });
      expect(page.events.map(({ id: _id, ...e }) => e)).toEqual([a[1], b[0], a[0]]);
    }
    expect(await r2().count()).toBe(3);
  });

  test('a batch of 5000 is one statement and keeps its order within one millisecond', async () => {
    const batch: HistoryEvent[] = Array.from({ length: 5000 }, (_, i) => ({ time: 7000, kind: 'alert_created', fingerprint: `f${i}`, labels: { alertname: 'A', i: String(i) } }));
    let statements = 0;
    const pool = replicas[0]!.pool;
    const count = () => statements++;
    pool.on('acquire', count);
    try {
      await r1().append(batch);
    } finally {
      pool.off('acquire', count);
    }
    expect(statements).toBe(1);
    const page = await r2().query({ limit: 5000 });
    expect(page.events.map((e) => e.fingerprint)).toEqual(batch.map((e) => e.fingerprint).reverse());
  });

  test('retention runs over PostgreSQL in the background: old events go, then the oldest beyond the cap', async () => {
    const evs: HistoryEvent[] = Array.from({ length: 30 }, (_, i) => ({ time: 1000 * (i + 1), kind: 'config_reload', data: { success: true } }));
    await r1().append(evs);
    const clock = { now: () => 20_500 } as never;
    const retention = new HistoryRetention({ storage: r2(), clock, retention: 10_000, maxEvents: 15, batch: 4 });
    // older than 10.5 s: the first 10; then beyond the newest 15 of the remaining 20: 5 more
    expect(await retention.run()).toBe(15);
    const left = (await r1().query({ limit: 100 })).events.map((e) => e.time);
    expect(left).toEqual(Array.from({ length: 15 }, (_, i) => 30_000 - i * 1000));
  });
});
