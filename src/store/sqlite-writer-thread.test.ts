import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from './db';
import { SqliteWriterThread, WRITER_NICE } from './sqlite-writer-thread';

/** Linux: the nice value of each of this process's threads, by thread id (field 19 of /proc/self/task/<tid>/stat) */
function threadNices(): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // from field 3 (state) on
    out.set(Number(tid), Number(fields[19 - 3]));
  }
  return out;
}

describe('SqliteWriterThread', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tocsin-writer-thread-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('inserts flat rows in one transaction, committed (visible to another connection) once the promise settles', async () => {
    const db = openDatabase(dir, 'x.db');
    db.exec('CREATE TABLE t (a INTEGER, b TEXT, c TEXT)');
    const w = new SqliteWriterThread(db.name);
    try {
      expect(w.active).toBe(false);
      await w.write('INSERT INTO t (a, b, c) VALUES (?, ?, ?)', 3, [1, 'x', null, 2, 'y', '{"k":1}']);
      expect(w.active).toBe(true);
      expect(db.prepare('SELECT a, b, c FROM t ORDER BY a').all()).toEqual([
        { a: 1, b: 'x', c: null },
        { a: 2, b: 'y', c: '{"k":1}' },
      ]);
      expect(await w.run('DELETE FROM t WHERE a < ?', [2])).toBe(1);
      expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 1 });
    } finally {
      await w.close();
      db.close();
    }
  });

  it('writes the rows of further statements in the same transaction: all or none', async () => {
    const db = openDatabase(dir, 'x.db');
    db.exec('CREATE TABLE t (a INTEGER NOT NULL); CREATE TABLE u (b TEXT NOT NULL, c INTEGER)');
    const w = new SqliteWriterThread(db.name);
    try {
      await w.rows({ sql: 'INSERT INTO t (a) VALUES (?)', width: 1, values: [1, 2], after: [{ sql: 'INSERT INTO u (b, c) VALUES (?, ?)', width: 2, values: ['x', 1, 'y', 2] }] });
      expect(db.prepare('SELECT b, c FROM u ORDER BY c').all()).toEqual([
        { b: 'x', c: 1 },
        { b: 'y', c: 2 },
      ]);
      // the further statement fails: the first statement's rows are not kept either
      await expect(w.rows({ sql: 'INSERT INTO t (a) VALUES (?)', width: 1, values: [3], after: [{ sql: 'INSERT INTO u (b) VALUES (?)', width: 1, values: [null] }] })).rejects.toMatchObject({
        code: 'SQLITE_CONSTRAINT_NOTNULL',
      });
      expect(db.prepare('SELECT a FROM t ORDER BY a').all()).toEqual([{ a: 1 }, { a: 2 }]);
    } finally {
      await w.close();
      db.close();
    }
  });

  it("rejects with SQLite's error and code, and a failed transaction writes nothing", async () => {
    const db = openDatabase(dir, 'x.db');
    db.exec('CREATE TABLE t (a INTEGER NOT NULL)');
    const w = new SqliteWriterThread(db.name);
    try {
      await expect(w.write('INSERT INTO t (a) VALUES (?)', 1, [1, null])).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_NOTNULL' });
      await expect(w.run('INSERT INTO nope VALUES (?)', [1])).rejects.toThrow(/no such table: nope/);
      expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 0 });
      // the thread is still usable
      await w.write('INSERT INTO t (a) VALUES (?)', 1, [7]);
      expect(db.prepare('SELECT a FROM t').all()).toEqual([{ a: 7 }]);
    } finally {
      await w.close();
      db.close();
    }
  });

  it('requests queued behind a busy thread commit together, but each one all or nothing: a failing one rolls back alone', async () => {
    const db = openDatabase(dir, 'x.db');
    db.exec('CREATE TABLE t (a INTEGER NOT NULL, b TEXT)');
    const w = new SqliteWriterThread(db.name);
    try {
      const ins = 'INSERT INTO t (a, b) VALUES (?, ?)';
      // a long first request: the next ones are queued meanwhile and go in one group
      const big = Array.from({ length: 50_000 }, (_, i) => [i, 'big']).flat();
      const done = await Promise.allSettled([
        w.write(ins, 2, big),
        w.write(ins, 2, [-1, 'first', -2, 'first']),
        w.write(ins, 2, [-3, 'failing', null, 'failing']),
        w.rows({ sql: ins, width: 2, values: [-4, 'firstOnly'], first: { sql: 'UPDATE t SET b = ? WHERE a = ?', cols: [1, 0] }, firstOnly: [true] }),
        w.write(ins, 2, [-5, 'last']),
      ]);
      expect(done.map((d) => d.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      expect((done[2] as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_CONSTRAINT_NOTNULL' });
      expect((done[3] as PromiseFulfilledResult<number[]>).value).toEqual([0]); // its UPDATE found no row: reported missing
      expect(db.prepare("SELECT a, b FROM t WHERE b != 'big' ORDER BY a DESC").all()).toEqual([
        { a: -1, b: 'first' },
        { a: -2, b: 'first' },
        { a: -5, b: 'last' },
      ]);
      expect(db.prepare("SELECT count(*) AS n FROM t WHERE b = 'big'").get()).toEqual({ n: 50_000 });
    } finally {
      await w.close();
      db.close();
    }
  });

  (process.platform === 'linux' ? it : it.skip)('runs at a lower CPU priority (its own nice value), the other threads as they were', async () => {
    const db = openDatabase(dir, 'x.db');
    db.exec('CREATE TABLE t (a INTEGER)');
    const before = threadNices();
    const lowered = (m: Map<number, number>, nice: number) => [...m].filter(([tid, n]) => n === nice && !before.has(tid)).length;
    const w = new SqliteWriterThread(db.name);
    const w5 = new SqliteWriterThread(db.name, { nice: 5 });
    try {
      await w.write('INSERT INTO t (a) VALUES (?)', 1, [1]);
      await w5.write('INSERT INTO t (a) VALUES (?)', 1, [2]);
      const after = threadNices();
      expect(WRITER_NICE).toBe(19);
      expect(lowered(after, 19)).toBe(1);
      expect(lowered(after, 5)).toBe(1);
      // every thread that was there keeps its nice value (the main thread's is process.pid's)
      for (const [tid, n] of before) if (after.has(tid)) expect([tid, after.get(tid)]).toEqual([tid, n]);
      expect(after.get(process.pid)).toBe(before.get(process.pid));
    } finally {
      await w.close();
      await w5.close();
      db.close();
    }
  });

  it('ends when idle and starts again on the next request', async () => {
    const db = openDatabase(dir, 'x.db');
    db.exec('CREATE TABLE t (a INTEGER)');
    const w = new SqliteWriterThread(db.name, { idleMs: 20 });
    try {
      await w.write('INSERT INTO t (a) VALUES (?)', 1, [1]);
      expect(w.active).toBe(true);
      const deadline = Date.now() + 10_000;
      while (w.active && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(w.active).toBe(false);
      await w.write('INSERT INTO t (a) VALUES (?)', 1, [2]);
      expect(db.prepare('SELECT a FROM t ORDER BY a').all()).toEqual([{ a: 1 }, { a: 2 }]);
    } finally {
      await w.close();
      db.close();
    }
    await expect(w.run('SELECT 1', [])).rejects.toThrow(/closed/);
  });

  it('rejects the requests still under way when it closes (they never settled before)', async () => {
    const db = openDatabase(dir, 'x.db');
    db.exec('CREATE TABLE t (a INTEGER)');
    const w = new SqliteWriterThread(db.name);
    try {
      await w.write('INSERT INTO t (a) VALUES (?)', 1, [1]); // the thread runs
      const underWay = expect(w.write('INSERT INTO t (a) VALUES (?)', 1, [2])).rejects.toThrow(/writer thread closed/);
      await w.close();
      await underWay;
    } finally {
      db.close();
    }
  });
});
