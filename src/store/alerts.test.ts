import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Alert } from '../types/alert';
import { AlertStore } from './alerts';
import { migrate, openDatabase } from './db';
import { SqliteWriterThread } from './sqlite-writer-thread';

const alert = (fp: string, endsAt: number): Alert => ({
  fingerprint: fp,
  labels: { alertname: 'A', instance: fp },
  annotations: { summary: 's' },
  startsAt: 1000,
  endsAt,
  updatedAt: 1500,
  generatorURL: 'http://g',
  timeout: fp === 'b',
});

describe('AlertStore (SQLite)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tocsin-alerts-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('save upserts by fingerprint, delete removes, loadAll round-trips across a reopen', () => {
    let db = openDatabase(dir);
    let store = new AlertStore(db);
    store.save([alert('a', 2000), alert('b', 3000), alert('c', 4000)]);
    store.save([alert('a', 9000)]);
    store.delete(['c']);
    db.close();
    db = openDatabase(dir);
    store = new AlertStore(db);
    const byFp = new Map(store.loadAll().map((a) => [a.fingerprint, a]));
    expect([...byFp.keys()].sort()).toEqual(['a', 'b']);
    expect(byFp.get('a')).toEqual(alert('a', 9000));
    expect(byFp.get('b')).toEqual(alert('b', 3000));
    db.close();
  });

  test('rows read by loadAll are updated and deleted in place: one row per fingerprint', () => {
    const db = openDatabase(dir);
    new AlertStore(db).save(Array.from({ length: 3000 }, (_, i) => alert(`f${i}`, 2000)));
    const store = new AlertStore(db);
    const loaded = store.loadAll();
    store.save(loaded.map((a) => ({ ...a, endsAt: 5000 })), (fp) => loaded.find((a) => a.fingerprint === fp));
    store.save([alert('f1', 6000), alert('new', 7000)]);
    store.delete(['f2']);
    expect(db.prepare('SELECT count(*) AS n, count(DISTINCT fingerprint) AS fps, max(ends_at) AS maxEnd FROM alerts').get()).toEqual({ n: 3000, fps: 3000, maxEnd: 7000 });
    expect(store.get('f1')?.endsAt).toBe(6000);
    expect(store.get('f2')).toBeUndefined();
    db.close();
  });

  test('loadAll reads every row across pages, with any text in labels, annotations and generatorURL', () => {
    const db = openDatabase(dir);
    const store = new AlertStore(db);
    const odd = 'quote " backslash \\ comma , bracket ] brace } newline \n tab \t unicode Σ🙂 \u2028';
    const alerts: Alert[] = Array.from({ length: 12_345 }, (_, i) => ({
      ...alert(i.toString(16).padStart(16, '0'), 5000 + i),
      labels: { alertname: odd, instance: `i${i}`, ...(i === 7 ? { ['__proto__']: 'p' } : {}) } as Record<string, string>,
      annotations: i % 2 === 0 ? {} : ({ summary: odd, description: `${i}` } as Record<string, string>),
      generatorURL: i % 3 === 0 ? '' : `http://g/?q=${odd}`,
      timeout: i % 5 === 0,
    }));
    store.save(alerts);
    store.delete([alerts[100]!.fingerprint]);
    const loaded = store.loadAll().sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : 1));
    const want = alerts.filter((_, i) => i !== 100);
    expect(loaded).toHaveLength(want.length);
    expect(loaded).toEqual(want);
    expect(Object.keys(loaded[7]!.labels)).toContain('__proto__');
    db.close();
  });

  test('save with `previous`: stored rows are updated (labels kept), a wrong guess still inserts', () => {
    const db = openDatabase(dir);
    const store = new AlertStore(db);
    store.save([alert('a', 2000)]);
    const changed = { ...alert('a', 7000), annotations: { summary: 'new' }, updatedAt: 1600, timeout: true };
    // 'a' is stored; 'x' is claimed stored but is not: it must be inserted anyway
    store.save([changed, alert('x', 3000)], (fp) => alert(fp, 2000));
    const byFp = new Map(store.loadAll().map((a) => [a.fingerprint, a]));
    expect(byFp.get('a')).toEqual(changed);
    expect(byFp.get('x')).toEqual(alert('x', 3000));
    expect(byFp.size).toBe(2);
    db.close();
  });

  test('lazy saves (`lazyAt`): a re-send that changes only updatedAt and a small endsAt extension is not written; anything else is', () => {
    const db = openDatabase(dir);
    const store = new AlertStore(db);
    const row = () => store.get('a')!;
    const now = 10_000;
    let held = { ...alert('a', now + 1000), updatedAt: now };
    store.save([held]);
    const put = (change: Partial<Alert>, at: number) => {
      const next = { ...held, ...change, updatedAt: at };
      const prev = held;
      store.save([next], (fp) => (fp === 'a' ? prev : undefined), at);
      held = next;
    };
    // only updatedAt: the row keeps the first put
    put({}, now + 10);
    expect(row()).toEqual({ ...alert('a', now + 1000), updatedAt: now });
    // endsAt later, by less than half of the row's remaining lifetime: still not written
    put({ endsAt: now + 1400 }, now + 20);
    put({ endsAt: now + 1500 }, now + 30);
    expect(row().endsAt).toBe(now + 1000);
    // judged against the row's end, not the last skipped one: 1000-400 = 600 left, the new end 1300 away
    put({ endsAt: now + 1700 }, now + 400);
    expect([row().endsAt, row().updatedAt]).toEqual([now + 1700, now + 400]);
    // annotations, generatorURL, startsAt, timeout: written at once, and right
    put({ annotations: { summary: 'changed' } }, now + 410);
    expect(row().annotations).toEqual({ summary: 'changed' });
    put({ generatorURL: 'http://other' }, now + 420);
    put({ startsAt: 900 }, now + 430);
    put({ timeout: true }, now + 440);
    expect(row()).toEqual(held);
    // resolved: written
    put({ endsAt: now + 450 }, now + 450);
    expect(row()).toEqual(held);
    db.close();
  });

  test('lazy saves through a writer thread: a write that failed makes the next save of its alerts insert them whole; a skip waits for the writes under way', async () => {
    const db = openDatabase(dir);
    const writer = new SqliteWriterThread(db.name);
    try {
      const store = new AlertStore(db, { writer, threadMin: 1 });
      const a = { ...alert('a', 9000), updatedAt: 2000 };
      db.exec("CREATE TRIGGER no_a BEFORE INSERT ON alerts WHEN NEW.fingerprint = 'a' BEGIN SELECT RAISE(ABORT, 'refused'); END");
      store.save([a]);
      const first = store.takeWrite();
      // a re-send judged against the alert held in memory (the failing put's): skipped, but it waits for that write
      store.save([{ ...a, updatedAt: 2100 }], () => a, 2100);
      const second = store.takeWrite();
      await expect(first).rejects.toThrow(/refused/);
      await expect(second).rejects.toThrow(/refused/);
      db.exec('DROP TRIGGER no_a');
      // the row is unknown now: the next re-send inserts it, lazy or not
      store.save([{ ...a, updatedAt: 2200 }], () => a, 2200);
      await store.takeWrite();
      expect(new AlertStore(openDatabase(dir)).get('a')).toEqual({ ...a, updatedAt: 2200 });
      // then lazy again: nothing to wait for
      store.save([{ ...a, updatedAt: 2300 }], () => a, 2300);
      expect(store.takeWrite()).toBeUndefined();
    } finally {
      await writer.close();
      db.close();
    }
  });

  test('a file written by the first schema (WITHOUT ROWID) is migrated with its alerts', () => {
    let db = openDatabase(dir);
    // the first schema exactly as released, with one row
    migrate(db, 'alerts', [
      `CREATE TABLE alerts (
         fingerprint TEXT PRIMARY KEY, labels TEXT NOT NULL, annotations TEXT NOT NULL, starts_at INTEGER NOT NULL,
         ends_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, generator_url TEXT NOT NULL, timeout INTEGER NOT NULL
       ) WITHOUT ROWID`,
    ]);
    db.prepare('INSERT INTO alerts VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run('a', '{"alertname":"A","instance":"a"}', '{"summary":"s"}', 1000, 2000, 1500, 'http://g', 0);
    db.close();
    db = openDatabase(dir);
    const store = new AlertStore(db);
    expect(store.loadAll()).toEqual([alert('a', 2000)]);
    const sql = (db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'alerts'").get() as { sql: string }).sql;
    expect(sql).not.toMatch(/WITHOUT ROWID/);
    // the fingerprint stays unique: save upserts
    store.save([alert('a', 5000)]);
    expect(store.loadAll()).toEqual([alert('a', 5000)]);
    db.close();
  });

  test('a file written by the second schema (fingerprint UNIQUE) keeps its alerts, loses the index, and rows are still written once per fingerprint', async () => {
    let db = openDatabase(dir);
    const v2 = `CREATE TABLE alerts (
       fingerprint TEXT NOT NULL UNIQUE, labels TEXT NOT NULL, annotations TEXT NOT NULL, starts_at INTEGER NOT NULL,
       ends_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, generator_url TEXT NOT NULL, timeout INTEGER NOT NULL
     )`;
    // the second schema as released (its step 1 created the first table, which step 2 replaced)
    migrate(db, 'alerts', ['CREATE TABLE alerts_v1 (x INTEGER)', `DROP TABLE alerts_v1; ${v2}`]);
    const ins = db.prepare('INSERT INTO alerts VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    for (const fp of ['a', 'b', 'c']) ins.run(fp, `{"alertname":"A","instance":"${fp}"}`, '{"summary":"s"}', 1000, 2000, 1500, 'http://g', fp === 'b' ? 1 : 0);
    db.prepare("DELETE FROM alerts WHERE fingerprint = 'a'").run(); // ids need not start at 1
    db.close();
    db = openDatabase(dir);
    const writer = new SqliteWriterThread(db.name);
    try {
      // a store that has not read the rows yet: each fingerprint still finds its row
      const store = new AlertStore(db, { writer, threadMin: 1 });
      expect(db.pragma('index_list(alerts)')).toEqual([]);
      expect(store.get('c')).toEqual(alert('c', 2000));
      store.save([alert('b', 7000), alert('d', 8000)]);
      await store.takeWrite();
      store.save([alert('c', 9000)], (fp) => alert(fp, 2000));
      store.delete(['b']);
      await store.takeWrite();
      const rows = db.prepare('SELECT id, fingerprint, ends_at FROM alerts ORDER BY id').all();
      expect(rows).toEqual([
        { id: 3, fingerprint: 'c', ends_at: 9000 },
        { id: 4, fingerprint: 'd', ends_at: 8000 },
      ]);
      expect(new AlertStore(openDatabase(dir)).loadAll()).toEqual([alert('c', 9000), alert('d', 8000)]);
    } finally {
      await writer.close();
      db.close();
    }
  });

  test('through a writer thread: big saves commit off the event loop, takeWrite() settles once they have, in order with small ones', async () => {
    const db = openDatabase(dir);
    const writer = new SqliteWriterThread(db.name);
    try {
      const store = new AlertStore(db, { writer, threadMin: 2 });
      store.save([alert('s', 2000)]); // small, the thread not running: written at once
      expect(store.takeWrite()).toBeUndefined();
      store.save([alert('a', 2000), alert('b', 3000)], () => undefined);
      const w = store.takeWrite();
      expect(w).toBeInstanceOf(Promise);
      await w;
      // the thread runs: a small save and a delete go through it too (kept in order)
      store.save([alert('a', 9000)], (fp) => (fp === 'a' ? alert('a', 2000) : undefined));
      store.delete(['s']);
      await store.takeWrite();
      const reader = new AlertStore(openDatabase(dir));
      expect(reader.loadAll().map((a) => [a.fingerprint, a.endsAt, a.labels.instance, a.annotations.summary, a.timeout])).toEqual([
        ['a', 9000, 'a', 's', false],
        ['b', 3000, 'b', 's', true],
      ]);
      // believed stored but not there (a failed earlier write): inserted whole
      store.save([alert('x', 5000), alert('y', 6000)], (fp) => alert(fp, 1));
      await store.takeWrite();
      expect(new AlertStore(openDatabase(dir)).get('y')).toEqual(alert('y', 6000));
    } finally {
      await writer.close();
      db.close();
    }
  });

  test('through a writer thread: a failed write rejects takeWrite() even when a later one commits', async () => {
    const db = openDatabase(dir);
    const writer = new SqliteWriterThread(db.name);
    try {
      const store = new AlertStore(db, { writer, threadMin: 1 });
      store.save([alert('a', 2000)]);
      await store.takeWrite();
      db.exec('CREATE TRIGGER no_b BEFORE INSERT ON alerts WHEN NEW.fingerprint = \'b\' BEGIN SELECT RAISE(ABORT, \'refused\'); END');
      store.save([alert('b', 2000)]);
      store.save([alert('c', 2000)]);
      await expect(store.takeWrite()).rejects.toThrow(/refused/);
      expect(new AlertStore(openDatabase(dir)).loadAll().map((a) => a.fingerprint)).toEqual(['a', 'c']);
      await store.settled();
    } finally {
      await writer.close();
      db.close();
    }
  });
});
