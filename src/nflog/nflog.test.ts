import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { openDatabase } from '../store/db';
import { sqliteNflogStore } from '../store/nflog';
import { systemClock } from '../types/clock';
import { entryKey, Nflog } from './nflog';

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
