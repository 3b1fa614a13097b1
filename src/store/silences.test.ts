/**
 * The SQLite silence store's rows: keyed by an integer in creation order (no index on the silence's UUID), found
 * again by id after a restart, and migrated from a file written by the previous schema (UUID primary key).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { SilenceAuditEntry } from '../silence/audit';
import type { StoredSilence } from '../silence/store';
import { type DB, migrate, openDatabase } from './db';
import { SILENCE_MIGRATIONS, SilenceStore } from './silences';
import { SqliteWriterThread } from './sqlite-writer-thread';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tocsin-silence-store-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function silence(id: string, comment = 'c'): StoredSilence {
  return {
    id,
    matcherSets: [[{ type: '=', name: 'alertname', value: id }]],
    startsAt: 1000,
    endsAt: 5000,
    updatedAt: 1000,
    createdBy: 'me',
    comment,
    annotations: {},
  };
}

function entry(silenceId: string, action: SilenceAuditEntry['action'], time: number): SilenceAuditEntry {
  return { silenceId, time, action, changes: {}, silence: { matchers: [`{alertname="${silenceId}"}`], startsAt: 1000, endsAt: 5000, comment: 'c', createdBy: 'me' } };
}

const rowCount = (db: DB) => (db.prepare('SELECT count(*) AS n FROM silences').get() as { n: number }).n;

describe('SilenceStore', () => {
  test('rows are keyed in creation order, with no index on the silence id; an update rewrites its row', () => {
    const db = openDatabase(dir);
    const store = new SilenceStore(db);
    store.put([{ silence: silence('b'), expiresAt: 9000 }], [entry('b', 'create', 1)]);
    store.put([{ silence: silence('a'), expiresAt: 9000 }], [entry('a', 'create', 2)]);
    store.put([{ silence: silence('b', 'edited'), expiresAt: 9500 }], [entry('b', 'update', 3)]);
    expect(db.pragma('index_list(silences)')).toEqual([]);
    expect(db.prepare('SELECT key, id FROM silences ORDER BY key').all()).toEqual([
      { key: 1, id: 'b' },
      { key: 2, id: 'a' },
    ]);
    expect(store.loadAll().map((r) => [r.silence.id, r.silence.comment, r.expiresAt])).toEqual([
      ['b', 'edited', 9500],
      ['a', 'c', 9000],
    ]);
    expect(store.audit('b').map((e) => e.action)).toEqual(['create', 'update']);
    db.close();
  });

  test('after a restart each id finds its row (read or not), and new silences take keys after the stored ones', () => {
    let db = openDatabase(dir);
    let store = new SilenceStore(db);
    store.put(['a', 'b', 'c'].map((id) => ({ silence: silence(id), expiresAt: 9000 })), [entry('a', 'create', 1), entry('c', 'create', 2)]);
    store.delete(['a']);
    db.close();

    db = openDatabase(dir);
    store = new SilenceStore(db); // loadAll() not called: the key map is read on first use
    expect(store.audit('c').map((e) => e.time)).toEqual([2]);
    expect(store.audit('a')).toEqual([]);
    store.put([{ silence: silence('c', 'edited'), expiresAt: 9000 }, { silence: silence('d'), expiresAt: 9000 }], [entry('c', 'update', 3), entry('d', 'create', 4)]);
    expect(store.get(['c', 'd', 'a']).map((r) => [r.silence.id, r.silence.comment])).toEqual([
      ['c', 'edited'],
      ['d', 'c'],
    ]);
    expect(db.prepare('SELECT key, id FROM silences ORDER BY key').all()).toEqual([
      { key: 2, id: 'b' },
      { key: 3, id: 'c' },
      { key: 4, id: 'd' },
    ]);
    expect(store.audit('c').map((e) => e.action)).toEqual(['create', 'update']);
    store.delete(['c']);
    expect(store.audit('c')).toEqual([]);
    expect(db.prepare('SELECT count(*) AS n FROM silence_audit').get()).toEqual({ n: 1 });
    db.close();
  });

  test('through the writer thread (busy): new silences take keys after the stored ones, and a write after a delete is a new row', async () => {
    const db = openDatabase(dir);
    const writer = new SqliteWriterThread(db.name);
    try {
      const store = new SilenceStore(db, { writer });
      store.put([{ silence: silence('a'), expiresAt: 9000 }], [entry('a', 'create', 1)]);
      // a third connection holds the write lock; the thread's write waits for it, so the thread is busy
      db.exec('CREATE TABLE other (x INTEGER)');
      const holder = new Database(db.name);
      holder.exec('BEGIN IMMEDIATE');
      const held = writer.write('INSERT INTO other (x) VALUES (?)', 1, [1]);
      const put = store.put([{ silence: silence('b'), expiresAt: 9000 }, { silence: silence('a', 'edited'), expiresAt: 9000 }], [entry('b', 'create', 2), entry('a', 'update', 3)]);
      expect(put).toBeInstanceOf(Promise);
      store.delete(['a']);
      // written again behind the delete: a new row
      const again = store.put([{ silence: silence('a', 'again'), expiresAt: 9000 }]);
      holder.exec('COMMIT');
      holder.close();
      await held;
      await put;
      await again;
      await store.settled();
      expect(db.prepare('SELECT key, id FROM silences ORDER BY key').all()).toEqual([
        { key: 2, id: 'b' },
        { key: 3, id: 'a' },
      ]);
      expect(store.get(['a']).map((r) => r.silence.comment)).toEqual(['again']);
      expect(store.audit('a')).toEqual([]);
      expect(store.audit('b').map((e) => e.time)).toEqual([2]);
    } finally {
      await writer.close();
      db.close();
    }
  });

  test('a file written by the previous schema (UUID primary key) is migrated with its silences and audit trails', () => {
    let db = openDatabase(dir);
    // the previous schema (steps 1-3, as released: an applied step is never edited), with its rows written by
    // its statements
    migrate(db, 'silences', SILENCE_MIGRATIONS.slice(0, 3));
    const upsert = db.prepare(
      'INSERT INTO silences (id, body, expires_at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET body = excluded.body, expires_at = excluded.expires_at',
    );
    const audit = db.prepare('INSERT INTO silence_audit (silence_id, time, body) VALUES (?, ?, ?)');
    for (const [id, expiresAt] of [['s-2', 8000], ['s-1', 9000], ['s-3', 7000]] as const) upsert.run(id, JSON.stringify(silence(id)), expiresAt);
    upsert.run('s-2', JSON.stringify(silence('s-2', 'edited')), 8500);
    for (const e of [entry('s-2', 'create', 1), entry('s-1', 'create', 2), entry('s-2', 'update', 3), entry('s-3', 'create', 4)]) {
      audit.run(e.silenceId, e.time, JSON.stringify(e));
    }
    db.prepare('DELETE FROM silences WHERE id = ?').run('s-3');
    db.prepare('DELETE FROM silence_audit WHERE silence_id = ?').run('s-3');
    db.close();

    db = openDatabase(dir);
    const store = new SilenceStore(db);
    expect(store.loadAll().map((r) => [r.silence.id, r.silence.comment, r.expiresAt])).toEqual([
      ['s-2', 'edited', 8500],
      ['s-1', 'c', 9000],
    ]);
    expect(store.audit('s-2')).toEqual([entry('s-2', 'create', 1), entry('s-2', 'update', 3)]);
    expect(store.audit('s-1')).toEqual([entry('s-1', 'create', 2)]);
    expect(db.pragma('index_list(silences)')).toEqual([]);
    expect((db.pragma('index_list(silence_audit)') as { name: string }[]).map((i) => i.name)).toEqual(['silence_audit_silence']);
    expect(db.prepare("SELECT name FROM pragma_index_info('silence_audit_silence')").all()).toEqual([{ name: 'silence_key' }, { name: 'id' }]);
    // writes after the migration find the migrated rows: an update stays one row, its trail goes on
    store.put([{ silence: silence('s-1', 'edited'), expiresAt: 9900 }], [entry('s-1', 'update', 5)]);
    store.put([{ silence: silence('s-4'), expiresAt: 9000 }], [entry('s-4', 'create', 6)]);
    expect(rowCount(db)).toBe(3);
    expect(store.audit('s-1').map((e) => e.time)).toEqual([2, 5]);
    store.delete(['s-2']);
    expect(store.loadAll().map((r) => r.silence.id)).toEqual(['s-1', 's-4']);
    expect(db.prepare('SELECT count(*) AS n FROM silence_audit').get()).toEqual({ n: 3 });
    db.close();
  });
});
