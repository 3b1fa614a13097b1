import { waitFor } from '../../test/helpers/ports';
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

  it('commits at once when maxBatch events wait and bursts are off', async () => {
    const storage = countingStorage();
    const w = new HistoryBatchWriter({ storage, batchMs: 60_000, maxBatch: 10, burstAt: 10, burstMs: 0 });
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

  describe('a burst (burstAt events within one batch)', () => {
    const turns = async (n: number) => {
      for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
    };
    const until = (cond: () => Promise<boolean>) => waitFor(cond, { intervalMs: 5 });

    it('is written once it is over, not while it lasts, in transactions of maxBatch events, in order', async () => {
      const storage = countingStorage();
      const w = new HistoryBatchWriter({ storage, batchMs: 40, maxBatch: 10, burstAt: 10, burstMs: 60_000 });
      const got: number[] = [];
      w.subscribe((es) => got.push(...es.map((e) => e.time)));
      for (let i = 0; i < 25; i++) w.record(ev(i));
      expect(w.pending).toBe(25);
      // without bursts the 10th event (maxBatch) would have started a commit on the next turn of the event loop
      await turns(3);
      expect(await storage.count()).toBe(0);
      expect(storage.appends).toBe(0);
      // over: a batchMs without an event
      await until(async () => (await storage.count()) === 25);
      await until(async () => w.pending === 0);
      expect(storage.appends).toBe(3);
      expect(got).toEqual(Array.from({ length: 25 }, (_, i) => i));
    });

    it('is written at once when someone awaits committed()', async () => {
      const storage = countingStorage();
      const w = new HistoryBatchWriter({ storage, batchMs: 60_000, maxBatch: 10, burstAt: 10, burstMs: 60_000 });
      for (let i = 0; i < 25; i++) w.record(ev(i));
      await w.committed();
      expect(await storage.count()).toBe(25);
      expect(w.pending).toBe(0);
    });

    it('is written at burstMax events', async () => {
      const storage = countingStorage();
      const w = new HistoryBatchWriter({ storage, batchMs: 60_000, maxBatch: 10, burstAt: 10, burstMs: 60_000, burstMax: 30 });
      for (let i = 0; i < 29; i++) w.record(ev(i));
      await turns(3);
      expect(await storage.count()).toBe(0);
      w.record(ev(29));
      await until(async () => (await storage.count()) === 30);
    });

    it('is written after burstMs while events keep coming', async () => {
      const storage = countingStorage();
      const w = new HistoryBatchWriter({ storage, batchMs: 20, maxBatch: 10, burstAt: 10, burstMs: 150 });
      const t0 = performance.now();
      let i = 0;
      for (; i < 10; i++) w.record(ev(i));
      // an event every 2 ms: the burst never goes quiet for a batchMs
      const more = setInterval(() => w.record(ev(i++)), 2);
      try {
        await until(async () => (await storage.count()) > 0);
      } finally {
        clearInterval(more);
      }
      expect(performance.now() - t0).toBeLessThan(5_000);
      await w.committed();
      expect(await storage.count()).toBe(i);
    });

    it('keeps the rest of a burst when a transaction fails, and writes it in order later', async () => {
      const inner = sqliteHistoryStorage(openDatabase(':memory:'));
      let calls = 0;
      const storage: HistoryStorage = { ...inner, append: (e) => (++calls === 2 ? Promise.reject(new Error('disk full')) : inner.append(e)) };
      const w = new HistoryBatchWriter({ storage, batchMs: 60_000, maxBatch: 10, burstAt: 10, burstMs: 60_000 });
      for (let i = 0; i < 25; i++) w.record(ev(i));
      await expect(w.committed()).rejects.toThrow('disk full');
      expect(await inner.count()).toBe(10);
      expect(w.pending).toBe(15);
      await w.committed();
      expect((await inner.query({ limit: 100 })).events.map((e) => e.time)).toEqual(Array.from({ length: 25 }, (_, i) => 24 - i));
    });
  });
});
