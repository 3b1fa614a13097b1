import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../types/logger';
import { type DB, openDatabase } from './db';
import { SqliteWriterThread } from './sqlite-writer-thread';
import { WalCheckpointer } from './wal-checkpoint';

const MAX = 256 * 1024;
const noTimers = { now: () => 0, setTimer: () => ({ cancel: () => undefined }) };

describe('WalCheckpointer', () => {
  let dir: string;
  let db: DB;
  let writer: SqliteWriterThread;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tocsin-wal-'));
    db = openDatabase(dir);
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    writer = new SqliteWriterThread(db.name);
  });
  afterEach(async () => {
    await writer.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const walBytes = () => statSync(`${db.name}-wal`).size;
  const insert = (n: number) => {
    const st = db.prepare('INSERT INTO t (body) VALUES (?)');
    for (let i = 0; i < n; i++) st.run('x'.repeat(2000)); // one commit each, ~1 page
  };

  it("turns the main connection's automatic checkpoint off: the WAL grows past SQLite's 1000 pages", () => {
    new WalCheckpointer(db, writer, { clock: noTimers, logger: silentLogger() });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    insert(1500);
    expect(walBytes()).toBeGreaterThan(1500 * 4096);
  });

  it('keeps the WAL bounded: a checkpoint on the thread once it is past maxBytes (the WAL is then written over from its start)', async () => {
    const c = new WalCheckpointer(db, writer, { clock: noTimers, logger: silentLogger(), maxBytes: MAX });
    expect(await c.check()).toBe(false); // small: nothing to do, the thread is not started
    expect(writer.active).toBe(false);
    let largest = 0;
    let checkpoints = 0;
    for (let round = 0; round < 40; round++) {
      insert(50); // ~200 KiB of WAL per round
      largest = Math.max(largest, walBytes());
      if (await c.check()) checkpoints++;
      expect(await c.check()).toBe(false); // nothing written since
    }
    // 2000 commits (~8 MB of WAL frames) never left more than one check's worth past the limit
    expect(checkpoints).toBeGreaterThan(10);
    expect(largest).toBeLessThan(MAX + 200 * 4200);
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 2000 });
  });

  it('runs on its timer and stops with stop()', async () => {
    const timers: (() => void)[] = [];
    const clock = {
      now: () => 0,
      setTimer: (_ms: number, fn: () => void) => {
        timers.push(fn);
        return { cancel: () => void timers.splice(timers.indexOf(fn), 1) };
      },
    };
    const c = new WalCheckpointer(db, writer, { clock, logger: silentLogger(), maxBytes: MAX });
    c.start();
    insert(100);
    expect(timers).toHaveLength(1);
    timers.shift()!(); // the tick checks and arms the next
    expect(timers).toHaveLength(1);
    await c.stop(); // waits for the checkpoint the tick started
    expect(timers).toHaveLength(0);
    const size = walBytes();
    insert(1);
    expect(walBytes()).toBe(size); // written over from its start
  });
});
