import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { openDatabase } from '../store/db';
import { sqliteNflogStore } from '../store/nflog';
import { systemClock } from '../types/clock';
import { entryKey, Nflog, type NflogStore } from './nflog';

const recv = { groupName: 'r', integration: 'webhook', idx: 0 };
const H = 3600_000;

describe('Nflog with SQLite', () => {
  let dir: string;
  beforeEach(() => {
    jest.useFakeTimers({ now: 1_700_000_000_000 });
    dir = mkdtempSync(join(tmpdir(), 'nflog-'));
  });
  afterEach(() => {
    jest.useRealTimers();
    rmSync(dir, { recursive: true, force: true });
  });

  test('entries survive a reopen; expiry = min(retention, 2 x repeat_interval)', () => {
    const db = openDatabase(dir);
    const log = new Nflog({ clock: systemClock, store: sqliteNflogStore(db), registry: new Registry() });
    log.log(recv, '{}:{a="1"}', ['f1'], ['r1'], 4 * H);
    const e = log.query('{}:{a="1"}', recv)!;
    expect(e.expiresAt - e.timestamp).toBe(8 * H);
    db.close();
    const db2 = openDatabase(dir);
    const log2 = new Nflog({ clock: systemClock, store: sqliteNflogStore(db2), retention: 5 * H });
    expect(log2.query('{}:{a="1"}', recv)).toEqual(e);
    log2.log(recv, '{}:{a="2"}', ['f'], [], 4 * H);
    expect(log2.query('{}:{a="2"}', recv)!.expiresAt - Date.now()).toBe(5 * H);
    db2.close();
  });

  test('gc drops expired entries in memory and on disk; expired entries are not loaded', () => {
    const db = openDatabase(dir);
    const log = new Nflog({ clock: systemClock, store: sqliteNflogStore(db) });
    log.log(recv, 'g1', ['f'], [], H);
    jest.advanceTimersByTime(H);
    log.log(recv, 'g2', ['f'], [], H);
    jest.advanceTimersByTime(H);
    expect(new Nflog({ clock: systemClock, store: sqliteNflogStore(db) }).size).toBe(1);
    expect(log.gc()).toBe(1);
    expect(log.query('g1', recv)).toBeUndefined();
    expect(log.query('g2', recv)).toBeDefined();
    expect((db.prepare('SELECT COUNT(*) AS n FROM nflog').get() as { n: number }).n).toBe(1);
    db.close();
  });

  test('an entry newer than now is kept; key format as upstream', () => {
    const log = new Nflog({ clock: systemClock });
    log.log(recv, 'g', ['a'], [], H);
    jest.setSystemTime(Date.now() - 1000);
    log.log(recv, 'g', ['b'], [], H);
    expect(log.query('g', recv)!.firingAlerts).toEqual(['a']);
    expect(entryKey('{}:{}', recv)).toBe('{}:{}:r/webhook/0');
  });
});

describe('Nflog write-behind (batchWrites)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nflog-batch-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const rows = (db: ReturnType<typeof openDatabase>) => (db.prepare('SELECT COUNT(*) AS n FROM nflog').get() as { n: number }).n;

  test('entries logged in one turn are committed in ONE transaction, before any of their promises resolves', async () => {
    const db = openDatabase(dir);
    const sqlite = sqliteNflogStore(db);
    const batches: number[] = [];
    const store: NflogStore = { ...sqlite, upsertMany: (es) => {
      const list = [...es];
      batches.push(list.length);
      sqlite.upsertMany!(list);
    } };
    const log = new Nflog({ clock: systemClock, store, batchWrites: true });
    const ps = Array.from({ length: 50 }, (_, i) => log.log(recv, `g${i}`, ['f'], [], H));
    expect(ps.every((p) => p instanceof Promise)).toBe(true);
    // visible to queries at once, not yet on disk
    expect(log.query('g7', recv)!.firingAlerts).toEqual(['f']);
    expect(rows(db)).toBe(0);
    let resolvedBeforeCommit = false;
    void ps[0]!.then(() => {
      resolvedBeforeCommit = rows(db) !== 50;
    });
    await Promise.all(ps);
    expect(resolvedBeforeCommit).toBe(false);
    expect(batches).toEqual([50]);
    expect(rows(db)).toBe(50);
    // a later turn is a new transaction
    await log.log(recv, 'g0', ['f', 'h'], [], H);
    expect(batches).toEqual([50, 1]);
    expect(new Nflog({ clock: systemClock, store: sqliteNflogStore(db) }).query('g0', recv)!.firingAlerts).toEqual(['f', 'h']);
    db.close();
  });

  test('a failed commit rejects every waiter of that batch; stop() commits what is queued', async () => {
    const db = openDatabase(dir);
    const sqlite = sqliteNflogStore(db);
    let fail = true;
    const store: NflogStore = { ...sqlite, upsertMany: (es) => {
      if (fail) throw new Error('disk full');
      sqlite.upsertMany!(es);
    } };
    const log = new Nflog({ clock: systemClock, store, batchWrites: true });
    const a = log.log(recv, 'a', ['f'], [], H);
    const b = log.log(recv, 'b', ['f'], [], H);
    await expect(a).rejects.toThrow('disk full');
    await expect(b).rejects.toThrow('disk full');
    fail = false;
    const c = log.log(recv, 'c', ['f'], [], H);
    log.stop();
    expect(rows(db)).toBe(1);
    await c;
    db.close();
  });

  test('kill -9 right after the promise resolved: the entry is on disk', async () => {
    // a child process logs 200 entries in one turn, reports when their promises resolved, and is killed at once
    const child = `
      const { openDatabase } = require(${JSON.stringify(join(__dirname, '../store/db.ts'))});
      const { sqliteNflogStore } = require(${JSON.stringify(join(__dirname, '../store/nflog.ts'))});
      const { Nflog } = require(${JSON.stringify(join(__dirname, 'nflog.ts'))});
      const { systemClock } = require(${JSON.stringify(join(__dirname, '../types/clock.ts'))});
      const log = new Nflog({ clock: systemClock, store: sqliteNflogStore(openDatabase(process.argv[1])), batchWrites: true });
      const recv = { groupName: 'r', integration: 'webhook', idx: 0 };
      Promise.all(Array.from({ length: 200 }, (_, i) => log.log(recv, 'g' + i, ['f'], [], 3600000))).then(() => {
        process.stdout.write('DURABLE\\n');
        setInterval(() => {}, 1000);
      });`;
    const proc = spawn(process.execPath, ['-r', join(__dirname, '../../test/acceptance/support/ts-register.js'), '-e', child, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      proc.stdout!.on('data', (c: Buffer) => {
        if (c.toString().includes('DURABLE')) {
          proc.kill('SIGKILL');
          resolve();
        }
      });
      proc.on('exit', () => reject(new Error('child exited early')));
    });
    await new Promise((r) => proc.once('exit', r));
    const db = openDatabase(dir);
    expect(rows(db)).toBe(200);
    expect(new Nflog({ clock: systemClock, store: sqliteNflogStore(db) }).size).toBe(200);
    db.close();
  });
});
