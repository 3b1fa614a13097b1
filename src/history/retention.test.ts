import { openDatabase } from '../store/db';
import { sqliteHistoryStorage } from '../store/history';
import type { Clock } from '../types/clock';
import type { HistoryEvent } from './event';
import { HistoryRetention } from './retention';

const clock = (now: number): Clock => ({ now: () => now, setTimer: () => ({ cancel() {} }) });

describe('history retention', () => {
  it('deletes events older than the retention in small batches', async () => {
    const storage = sqliteHistoryStorage(openDatabase(':memory:'));
    const es: HistoryEvent[] = [];
    for (let i = 0; i < 2500; i++) es.push({ time: i, kind: 'notification', receiver: 'r' });
    await storage.append(es);
    const r = new HistoryRetention({ storage, clock: clock(3000), retention: 1000, maxEvents: 0, batch: 100 });
    expect(await r.run()).toBe(2000);
    expect(await storage.count()).toBe(500);
  });

  it('trims to the size cap, keeping the newest', async () => {
    const storage = sqliteHistoryStorage(openDatabase(':memory:'));
    const es: HistoryEvent[] = [];
    for (let i = 0; i < 250; i++) es.push({ time: i, kind: 'notification', receiver: 'r' });
    await storage.append(es);
    const r = new HistoryRetention({ storage, clock: clock(300), retention: 10_000, maxEvents: 100, batch: 30 });
    expect(await r.run()).toBe(150);
    const page = await storage.query({ limit: 1000 });
    expect(page.events).toHaveLength(100);
    expect(page.events[99]!.time).toBe(150);
  });
});
