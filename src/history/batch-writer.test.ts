import { openDatabase } from '../store/db';
import { sqliteHistoryStorage } from '../store/history';
import { HistoryBatchWriter } from './batch-writer';
import type { HistoryEvent } from './event';
import type { HistoryStorage } from './storage';

const ev = (time: number): HistoryEvent => ({ time, kind: 'alert_created', fingerprint: `f${time}` });

function countingStorage(): HistoryStorage & { appends: number } {
  const inner = sqliteHistoryStorage(openDatabase(':memory:'));
  const s = {
    ...inner,
    appends: 0,
    append(events: readonly HistoryEvent[]) {
      s.appends++;
      return inner.append(events);
    },
  };
  return s;
}

describe('history batch writer', () => {
  it('commits many events in one transaction after batchMs, not on record()', async () => {
    const storage = countingStorage();
    const w = new HistoryBatchWriter({ storage, batchMs: 30 });
    for (let i = 0; i < 100; i++) w.record(ev(i));
    expect(await storage.count()).toBe(0);
    await new Promise((r) => setTimeout(r, 80));
    expect(await storage.count()).toBe(100);
    expect(storage.appends).toBe(1);
  });

  it('committed() resolves only after what was recorded is stored', async () => {
    const storage = countingStorage();
    const w = new HistoryBatchWriter({ storage, batchMs: 60_000 });
    w.record(ev(1));
    w.record(ev(2));
    await w.committed();
    expect(await storage.count()).toBe(2);
    expect(storage.appends).toBe(1);
  });

  it('commits at once when maxBatch events wait', async () => {
    const storage = countingStorage();
    const w = new HistoryBatchWriter({ storage, batchMs: 60_000, maxBatch: 10 });
    for (let i = 0; i < 10; i++) w.record(ev(i));
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(await storage.count()).toBe(10);
  });

  it('keeps events when the storage fails and writes them in order with the next batch', async () => {
    const inner = sqliteHistoryStorage(openDatabase(':memory:'));
    let fail = true;
    const storage: HistoryStorage = { ...inner, append: (e) => (fail ? Promise.reject(new Error('disk full')) : inner.append(e)) };
    const w = new HistoryBatchWriter({ storage, batchMs: 60_000 });
    w.record(ev(1));
    await expect(w.committed()).rejects.toThrow('disk full');
    fail = false;
    w.record(ev(2));
    await w.committed();
    expect((await inner.query({ limit: 10 })).events.map((e) => e.time)).toEqual([2, 1]);
  });

  it('delivers committed events to subscribers in order', async () => {
    const w = new HistoryBatchWriter({ storage: countingStorage(), batchMs: 60_000 });
    const got: number[] = [];
    const off = w.subscribe((es) => got.push(...es.map((e) => e.time)));
    w.record(ev(1));
    w.record(ev(2));
    expect(got).toEqual([]);
    await w.committed();
    off();
    w.record(ev(3));
    await w.committed();
    expect(got).toEqual([1, 2]);
  });
});
