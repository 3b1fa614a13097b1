import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlertStore } from '../store/alerts';
import { type DB, openDatabase } from '../store/db';
import { SqliteWriterThread } from '../store/sqlite-writer-thread';
import type { Alert } from '../types/alert';
import type { Clock } from '../types/clock';
import { fingerprint } from '../types/fingerprint';
import { silentLogger } from '../types/logger';
import { MemAlerts } from './mem-alerts';

const T = Date.UTC(2026, 0, 1);
const clock: Clock = { now: () => T, setTimer: () => ({ cancel: () => undefined }) };

function alert(i: number, o: Partial<Alert> = {}): Alert {
  const labels = { alertname: 'A', i: String(i) };
  return { labels, annotations: { v: 'stored' }, startsAt: T - 60_000, endsAt: T + 3600_000, updatedAt: T - 1000, generatorURL: '', timeout: false, fingerprint: fingerprint(labels), ...o };
}

/** Runs `fn` on a SQLite file of its own with a writer thread on it; closes both and removes the file after. */
async function withWriterThread(fn: (db: DB, writer: SqliteWriterThread) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tocsin-restore-thread-'));
  const db = openDatabase(dir);
  const writer = new SqliteWriterThread(db.name);
  try {
    await fn(db, writer);
  } finally {
    await writer.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('MemAlerts.restore (stored alerts loaded in slices after the start)', () => {
  it('loads every stored alert between event-loop turns; a put meanwhile merges with the stored version, which does not overwrite it', async () => {
    const db = openDatabase(':memory:');
    const store = new AlertStore(db);
    store.save(Array.from({ length: 6000 }, (_, i) => alert(i)));
    const alerts = new MemAlerts({ clock, logger: silentLogger(), store, deferLoad: true, gcInterval: 0 });
    expect(alerts.count()).toBe(0);
    expect(alerts.restored).toBe(false);

    const turns: number[] = [];
    let putDone = false;
    await alerts.restore(async () => {
      turns.push(alerts.count());
      if (!putDone) {
        putDone = true;
        // the last stored alert (not restored yet) sent again, newer; and a new one
        alerts.put([alert(5999, { startsAt: T, annotations: { v: 'posted' }, updatedAt: T }), alert(9999, { updatedAt: T })]);
      }
    });

    expect(turns.length).toBeGreaterThan(1); // yielded between pages
    expect(turns[0]).toBeLessThan(6000);
    expect(alerts.restored).toBe(true);
    expect(alerts.count()).toBe(6001);
    const merged = alerts.get(alert(5999).fingerprint)!;
    expect(merged.annotations).toEqual({ v: 'posted' });
    expect(merged.startsAt).toBe(T - 60_000); // the earliest start: merged with the stored version
    expect(store.get(merged.fingerprint)).toEqual(merged); // and stored so
    expect(alerts.get(alert(0).fingerprint)?.annotations).toEqual({ v: 'stored' });
    db.close();
  });

  it('an alert taken in through applyStored() before its page is reached is not overwritten by the stored row', async () => {
    const db = openDatabase(':memory:');
    const store = new AlertStore(db);
    store.save(Array.from({ length: 6000 }, (_, i) => alert(i)));
    const alerts = new MemAlerts({ clock, logger: silentLogger(), store, deferLoad: true, gcInterval: 0 });
    let applied = false;
    await alerts.restore(async () => {
      if (applied) return;
      applied = true;
      // another replica's newer write, read from the change feed while this one restores
      alerts.applyStored([alert(5998, { annotations: { v: 'replica' }, updatedAt: T })]);
    });
    expect(alerts.count()).toBe(6000);
    expect(alerts.get(alert(5998).fingerprint)?.annotations).toEqual({ v: 'replica' });
    expect(alerts.get(alert(5997).fingerprint)?.annotations).toEqual({ v: 'stored' });
    db.close();
  });

  it('without deferLoad the store is loaded on construction and restore() does nothing', async () => {
    const db = openDatabase(':memory:');
    const store = new AlertStore(db);
    store.save([alert(1), alert(2)]);
    const alerts = new MemAlerts({ clock, logger: silentLogger(), store, gcInterval: 0 });
    expect(alerts.count()).toBe(2);
    expect(alerts.restored).toBe(true);
    await alerts.restore();
    expect(alerts.count()).toBe(2);
    db.close();
  });

  it('with a writer thread, pages are read on it one ahead; a put meanwhile merges, and is written in order after the reads', async () => {
    await withWriterThread(async (db, writer) => {
      const store = new AlertStore(db, { writer });
      store.save(Array.from({ length: 6000 }, (_, i) => alert(i)));
      await store.takeWrite();
      const alerts = new MemAlerts({ clock, logger: silentLogger(), store, deferLoad: true, gcInterval: 0 });
      const turns: number[] = [];
      await alerts.restore(async () => {
        turns.push(alerts.count());
        if (turns.length === 1) alerts.put([alert(5999, { startsAt: T, annotations: { v: 'posted' }, updatedAt: T }), alert(9999, { updatedAt: T })]);
      });
      expect(turns.length).toBeGreaterThan(1);
      expect(alerts.count()).toBe(6001);
      const merged = alerts.get(alert(5999).fingerprint)!;
      expect(merged.annotations).toEqual({ v: 'posted' });
      expect(merged.startsAt).toBe(T - 60_000);
      await store.settled();
      expect(store.get(merged.fingerprint)).toEqual(merged);
      expect(store.get(alert(9999).fingerprint)).toEqual(alert(9999, { updatedAt: T }));
    });
  });

  it('with a writer thread and more than 3 pages stored, construction starts the thread on the 4th page; restore() reads every alert once, in order', async () => {
    await withWriterThread(async (db, writer) => {
      // written by an earlier process (no thread), as at a restart
      const n = 3 * 2500 + 4000;
      new AlertStore(db).save(Array.from({ length: n }, (_, i) => alert(i)));
      const store = new AlertStore(db, { writer });
      expect(writer.active).toBe(false);
      const alerts = new MemAlerts({ clock, logger: silentLogger(), store, deferLoad: true, gcInterval: 0 });
      // the thread's page is on its way before restore() runs (the app builds the rest meanwhile)
      expect(writer.active).toBe(true);
      expect(writer.busy).toBe(true);
      const seen: number[] = [];
      await alerts.restore(async () => {
        seen.push(alerts.count());
      });
      // 3 pages read here, then the thread's 2 (2500 and 1500 rows): no row twice, none missed
      expect(seen).toEqual([2500, 5000, 7500, 10000, n]);
      expect(alerts.count()).toBe(n);
      for (const i of [0, 7499, 7500, n - 1]) expect(alerts.get(alert(i).fingerprint)).toEqual(alert(i));
      // the ids came with the pages: a later save of a restored alert updates its row, no second one
      store.save([alert(0, { updatedAt: T })]);
      await store.settled();
      expect(new AlertStore(db).loadAll()).toHaveLength(n);
      expect(store.get(alert(0).fingerprint)).toEqual(alert(0, { updatedAt: T }));
    });
  });

  it('with a writer thread, a store of 3 pages starts no thread on construction; restore() reads it all', async () => {
    await withWriterThread(async (db, writer) => {
      new AlertStore(db).save(Array.from({ length: 7500 }, (_, i) => alert(i)));
      const store = new AlertStore(db, { writer });
      const alerts = new MemAlerts({ clock, logger: silentLogger(), store, deferLoad: true, gcInterval: 0 });
      expect(writer.active).toBe(false);
      await alerts.restore();
      expect(alerts.count()).toBe(7500);
    });
  });

  it('with a writer thread, a store that fits in one page is read without starting the thread', async () => {
    await withWriterThread(async (db, writer) => {
      const store = new AlertStore(db, { writer });
      store.save([alert(1), alert(2)]);
      const alerts = new MemAlerts({ clock, logger: silentLogger(), store, deferLoad: true, gcInterval: 0 });
      await alerts.restore();
      expect(alerts.count()).toBe(2);
      expect(writer.active).toBe(false);
    });
  });
});
