import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Registry } from 'prom-client';
import { AlertStore } from '../store/alerts';
import { openDatabase } from '../store/db';
import type { Alert } from '../types/alert';
import { fingerprint } from '../types/fingerprint';
import { silentLogger } from '../types/logger';
import { MemAlerts, mergeAlerts, overlaps } from './mem-alerts';

const T = Date.UTC(2026, 0, 1);

function alert(labels: Record<string, string>, o: Partial<Alert> = {}): Alert {
  return { labels, annotations: {}, startsAt: T, endsAt: T + 3600_000, updatedAt: T, generatorURL: '', timeout: false, fingerprint: fingerprint(labels), ...o };
}

describe('mergeAlerts (upstream alert.Merge)', () => {
  const now = T + 1000;
  it('takes the younger alert as base and the earliest startsAt', () => {
    const old = alert({ a: '1' }, { startsAt: T - 1000, annotations: { v: 'old' }, updatedAt: T });
    const young = alert({ a: '1' }, { startsAt: T, annotations: { v: 'new' }, updatedAt: T + 10 });
    const m = mergeAlerts(old, young, now);
    expect(m.annotations).toEqual({ v: 'new' });
    expect(m.startsAt).toBe(T - 1000);
    expect(mergeAlerts(young, old, now)).toEqual(m); // order of arguments does not matter
  });
  it('firing younger keeps the older later endsAt only if it was explicit', () => {
    const explicit = alert({ a: '1' }, { endsAt: T + 7200_000, updatedAt: T });
    const timeoutOld = alert({ a: '1' }, { endsAt: T + 7200_000, updatedAt: T, timeout: true });
    const young = alert({ a: '1' }, { endsAt: T + 3600_000, updatedAt: T + 10, timeout: true });
    expect(mergeAlerts(explicit, young, now).endsAt).toBe(T + 7200_000);
    expect(mergeAlerts(timeoutOld, young, now).endsAt).toBe(T + 3600_000);
  });
  it('resolved younger keeps the later end of a resolved older', () => {
    const later = T + 5000;
    const old = alert({ a: '1' }, { endsAt: T + 900, updatedAt: T });
    const young = alert({ a: '1' }, { endsAt: T + 500, updatedAt: T + 10 });
    expect(mergeAlerts(old, young, later).endsAt).toBe(T + 900);
  });
  it('overlap is strict on both ends', () => {
    const old = alert({ a: '1' }, { startsAt: T, endsAt: T + 100 });
    expect(overlaps(old, alert({ a: '1' }, { startsAt: T + 50, endsAt: T + 200 }))).toBe(true);
    expect(overlaps(old, alert({ a: '1' }, { startsAt: T - 50, endsAt: T + 50 }))).toBe(true);
    expect(overlaps(old, alert({ a: '1' }, { startsAt: T + 100, endsAt: T + 200 }))).toBe(false);
    expect(overlaps(old, alert({ a: '1' }, { startsAt: T, endsAt: T + 100 }))).toBe(false);
  });
});

describe('MemAlerts', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-alerts-'));
  });
  afterEach(() => {
    jest.useRealTimers();
    rmSync(dir, { recursive: true, force: true });
  });
  const clockAt = (t: { now: number }) => ({
    now: () => t.now,
    setTimer: (ms: number, fn: () => void) => {
      const h = setTimeout(fn, ms);
      return { cancel: () => clearTimeout(h) };
    },
  });

  it('released() announces to onDelete listeners only the fingerprints it no longer stores', () => {
    const s = new MemAlerts({ clock: clockAt({ now: T }), logger: silentLogger(), gcInterval: 0 });
    s.put([alert({ a: '1' })]);
    const deleted: string[][] = [];
    s.onDelete((fps) => deleted.push([...fps]));
    s.released([fingerprint({ a: '1' })]);
    expect(deleted).toEqual([]);
    s.released([fingerprint({ a: '1' }), fingerprint({ a: '2' })]);
    expect(deleted).toEqual([[fingerprint({ a: '2' })]]);
  });

  it('persists every put in SQLite and loads it back on construction', () => {
    const t = { now: T };
    const db = openDatabase(dir);
    const s = new MemAlerts({ clock: clockAt(t), logger: silentLogger(), store: new AlertStore(db), gcInterval: 0 });
    s.put([alert({ a: '1' }, { annotations: { x: 'y' }, generatorURL: 'http://g' }), alert({ a: '2' }, { timeout: true })]);
    db.close();
    const db2 = openDatabase(dir);
    const s2 = new MemAlerts({ clock: clockAt(t), logger: silentLogger(), store: new AlertStore(db2), gcInterval: 0 });
    expect(s2.count()).toBe(2);
    expect(s2.get(fingerprint({ a: '1' }))).toEqual(alert({ a: '1' }, { annotations: { x: 'y' }, generatorURL: 'http://g' }));
    expect(s2.get(fingerprint({ a: '2' }))!.timeout).toBe(true);
    db2.close();
  });

  it('a re-send that changes nothing but updatedAt is held in memory and not rewritten; a change is written', () => {
    const t = { now: T };
    const db = openDatabase(dir);
    const store = new AlertStore(db);
    const s = new MemAlerts({ clock: clockAt(t), logger: silentLogger(), store, gcInterval: 0 });
    const fp = fingerprint({ a: '1' });
    s.put([alert({ a: '1' })]);
    t.now = T + 60_000;
    s.put([alert({ a: '1' }, { updatedAt: t.now })]);
    expect(s.get(fp)!.updatedAt).toBe(T + 60_000);
    expect(store.get(fp)!.updatedAt).toBe(T);
    t.now = T + 120_000;
    s.put([alert({ a: '1' }, { updatedAt: t.now, annotations: { v: 'new' } })]);
    expect(store.get(fp)).toEqual(s.get(fp));
    db.close();
  });

  it('notifies subscribers with the merged alert and survives a failing subscriber', () => {
    const t = { now: T };
    const s = new MemAlerts({ clock: clockAt(t), logger: silentLogger(), gcInterval: 0 });
    const seen: Alert[] = [];
    s.subscribe(() => {
      throw new Error('boom');
    });
    const unsub = s.subscribe((a) => seen.push(a));
    s.put([alert({ a: '1' }, { startsAt: T - 10 })]);
    s.put([alert({ a: '1' }, { startsAt: T + 10, updatedAt: T + 1 })]);
    expect(seen.map((a) => a.startsAt)).toEqual([T - 10, T - 10]);
    unsub();
    s.put([alert({ a: '3' })]);
    expect(seen).toHaveLength(2);
  });

  it('GC removes resolved alerts on its interval, from memory and SQLite, and reports them', () => {
    jest.useFakeTimers({ now: T });
    const db = openDatabase(dir);
    const clock = { now: () => Date.now(), setTimer: (ms: number, fn: () => void) => { const h = setTimeout(fn, ms); return { cancel: () => clearTimeout(h) }; } };
    const s = new MemAlerts({ clock, logger: silentLogger(), store: new AlertStore(db), gcInterval: 30 * 60_000 });
    const deleted: string[] = [];
    s.onDelete((fps) => deleted.push(...fps));
    s.put([alert({ a: 'short' }, { endsAt: T + 60_000 }), alert({ a: 'long' }, { endsAt: T + 3600_000 * 24 })]);
    s.start();
    jest.advanceTimersByTime(29 * 60_000);
    expect(s.count()).toBe(2);
    jest.advanceTimersByTime(2 * 60_000);
    expect(s.count()).toBe(1);
    expect(deleted).toEqual([fingerprint({ a: 'short' })]);
    s.stop();
    db.close();
    const db2 = openDatabase(dir);
    expect(new AlertStore(db2).loadAll().map((a) => a.labels.a)).toEqual(['long']);
    db2.close();
  });

  it('per-alertname limit: evicts the earliest-ending resolved alert, else drops and counts', async () => {
    const t = { now: T };
    const registry = new Registry();
    const s = new MemAlerts({ clock: clockAt(t), logger: silentLogger(), gcInterval: 0, perAlertnameLimit: 2, registry });
    s.put([alert({ alertname: 'X', i: '1' }, { endsAt: T + 10 }), alert({ alertname: 'X', i: '2' }, { endsAt: T + 1000 })]);
    // both still firing: a third fingerprint is dropped; other alertnames are not limited; updates pass
    expect(s.put([alert({ alertname: 'X', i: '3' }), alert({ alertname: 'Y', i: '1' })]).map((a) => a.labels.alertname)).toEqual(['Y']);
    expect(s.put([alert({ alertname: 'X', i: '1' }, { endsAt: T + 10, updatedAt: T + 1 })])).toHaveLength(1);
    expect(await registry.metrics()).toMatch(/alertmanager_alerts_limited_total 1\b/);
    expect(await registry.metrics()).toMatch(/alertmanager_alerts_per_alert_limit 2\b/);
    // once i=1 is resolved it is evicted for a new fingerprint
    t.now = T + 20;
    const deleted: string[] = [];
    s.onDelete((fps) => deleted.push(...fps));
    expect(s.put([alert({ alertname: 'X', i: '4' })])).toHaveLength(1);
    expect(deleted).toEqual([fingerprint({ alertname: 'X', i: '1' })]);
    expect([...s.all()].filter((a) => a.labels.alertname === 'X').map((a) => a.labels.i).sort()).toEqual(['2', '4']);
  });

  it('per-alertname limit: an alert evicted later in the same batch is not announced, returned or stored', () => {
    const t = { now: T + 20 };
    const dir2 = mkdtempSync(path.join(os.tmpdir(), 'tocsin-mem-evict-'));
    const db = openDatabase(dir2);
    try {
      const s = new MemAlerts({ clock: clockAt(t), logger: silentLogger(), store: new AlertStore(db), gcInterval: 0, perAlertnameLimit: 1 });
      const told: string[] = [];
      const deleted: string[] = [];
      s.subscribe((a) => told.push(a.labels.i!));
      s.onDelete((fps) => deleted.push(...fps));
      // i=1 is already resolved: i=2 evicts it within the batch
      const out = s.put([alert({ alertname: 'X', i: '1' }, { endsAt: T + 10 }), alert({ alertname: 'X', i: '2' })]);
      expect(out.map((a) => a.labels.i)).toEqual(['2']);
      expect(told).toEqual(['2']);
      expect(deleted).toEqual([]);
      expect([...s.all()].map((a) => a.labels.i)).toEqual(['2']);
      expect(new AlertStore(db).loadAll().map((a) => a.labels.i)).toEqual(['2']);
    } finally {
      db.close();
      rmSync(dir2, { recursive: true, force: true });
    }
  });

  it('stores 100k alerts in batches with O(N) work: each alert written once, each subscriber told once', () => {
    const t = { now: T };
    const db = openDatabase(dir);
    const store = new AlertStore(db);
    const rowsPerSave: number[] = [];
    const save = store.save.bind(store);
    store.save = (alerts) => {
      rowsPerSave.push(alerts.length);
      save(alerts);
    };
    const s = new MemAlerts({ clock: clockAt(t), logger: silentLogger(), store, gcInterval: 0 });
    let told = 0;
    s.subscribe(() => told++);
    for (let b = 0; b < 100; b++) {
      const batch: Alert[] = [];
      for (let i = 0; i < 1000; i++) batch.push(alert({ alertname: `A${i % 50}`, instance: `host-${b}-${i}`, job: 'node' }));
      s.put(batch);
    }
    expect(s.count()).toBe(100_000);
    // one durable write per batch holding exactly that batch: the store never rewrites what it already holds
    expect(rowsPerSave).toEqual(Array(100).fill(1000));
    expect(told).toBe(100_000);
    db.close();
    const db2 = openDatabase(dir);
    expect(new AlertStore(db2).loadAll()).toHaveLength(100_000);
    db2.close();
  });
});

describe('MemAlerts.applyStored (alerts as the shared store holds them, issue 13)', () => {
  it('replaces and announces changed alerts, skips identical and older ones, stores nothing', () => {
    let saved = 0;
    const m = new MemAlerts({
      clock: { now: () => T, setTimer: () => ({ cancel() {} }) },
      logger: silentLogger(),
      gcInterval: 0,
      store: { loadAll: () => [], save: () => void saved++, delete: () => undefined },
    });
    const heard: Alert[] = [];
    m.subscribe((a) => heard.push(a));
    const a = alert({ a: '1' }, { updatedAt: T + 10 });
    m.applyStored([a]);
    m.applyStored([a]); // identical: not announced again
    m.applyStored([alert({ a: '1' }, { updatedAt: T, endsAt: T + 1 })]); // older than memory: ignored
    expect(heard).toEqual([a]);
    expect(m.get(a.fingerprint)).toBe(a);
    const merged = { ...a, updatedAt: T + 20, endsAt: T + 5 };
    m.applyStored([merged]);
    expect(heard).toEqual([a, merged]);
    expect(saved).toBe(0);
  });
});
