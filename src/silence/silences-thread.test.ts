/**
 * Silences over SQLite's writer thread (src/store/silences.ts with a SqliteWriterThread): while the thread has
 * a write under way (here: held by a third connection's write lock, as a storm's alert save would be), silence
 * writes go behind it on the thread; one is durable when its promise resolves (another connection, opened
 * after, finds it), and a failed commit is undone in memory. The failures are real: a trigger makes SQLite
 * refuse the row.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Registry } from 'prom-client';
import { type DB, openDatabase } from '../store/db';
import { SilenceStore } from '../store/silences';
import { SqliteWriterThread } from '../store/sqlite-writer-thread';
import { silentLogger } from '../types/logger';
import { Silences } from './silences';
import type { SilenceInput } from './types';

const H = 3600_000;

let dir: string;
let db: DB;
let writer: SqliteWriterThread;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tocsin-silences-thread-'));
  db = openDatabase(dir);
  writer = new SqliteWriterThread(db.name);
});

afterEach(async () => {
  await writer.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Makes the thread busy: a third connection takes the write lock and the thread is sent a write, which waits
 * for it (busy_timeout). release() lets it through and resolves once it committed.
 */
function busyThread(): () => Promise<void> {
  db.exec('CREATE TABLE IF NOT EXISTS other (x INTEGER)');
  const holder = new Database(db.name);
  holder.exec('BEGIN IMMEDIATE');
  const write = writer.write('INSERT INTO other (x) VALUES (?)', 1, [1]);
  expect(writer.busy).toBe(true);
  return async () => {
    holder.exec('COMMIT');
    holder.close();
    await write;
  };
}

function newSilences(): Silences {
  return new Silences({ store: new SilenceStore(db, { writer }), clock: { now: () => Date.now(), setTimer: () => ({ cancel: () => undefined }) }, logger: silentLogger(), registry: new Registry(), retention: 120 * H });
}

function input(over: Partial<SilenceInput> = {}): SilenceInput {
  return { matcherSets: [[{ type: '=', name: 'alertname', value: 'A' }]], startsAt: Date.now(), endsAt: Date.now() + H, createdBy: 'me', comment: 'c', ...over };
}

/** what a fresh connection to the file finds (the silences' rows and their audit entries) */
function stored(): { ids: string[]; audit: { silence_id: string; action: string }[] } {
  const other = new Database(db.name, { readonly: true });
  try {
    const ids = (other.prepare('SELECT id FROM silences ORDER BY id').all() as { id: string }[]).map((r) => r.id);
    const audit = (other.prepare('SELECT s.id AS silence_id, a.body FROM silence_audit a JOIN silences s ON s.key = a.silence_key ORDER BY a.id').all() as { silence_id: string; body: string }[]).map((r) => ({
      silence_id: r.silence_id,
      action: (JSON.parse(r.body) as { action: string }).action,
    }));
    return { ids, audit };
  } finally {
    other.close();
  }
}

/** SQLite refuses every silence whose comment is 'refused' (the commit fails on the thread) */
function refuseComment(): void {
  db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON silences WHEN json_extract(NEW.body, '$.comment') = 'refused'
           BEGIN SELECT RAISE(ABORT, 'refused by test'); END;
           CREATE TRIGGER refuse_update BEFORE UPDATE ON silences WHEN json_extract(NEW.body, '$.comment') = 'refused'
           BEGIN SELECT RAISE(ABORT, 'refused by test'); END;`);
}

describe('Silences on the writer thread', () => {
  it('commits on the main connection while the thread is idle: no thread started', async () => {
    const s = newSilences();
    const id = await s.setDurably(input());
    expect(writer.active).toBe(false);
    expect(stored().ids).toEqual([id]);
  });

  it('goes behind a write under way on the thread (never waits for its lock on the event loop); stored with its audit entry once setDurably() resolves', async () => {
    const s = newSilences();
    const release = busyThread();
    const writes = Promise.all([s.setDurably(input()), s.setDurably(input({ comment: 'two' })), s.setDurably(input({ comment: 'three' }))]);
    let answered = false;
    void writes.then(() => (answered = true));
    await new Promise((r) => setTimeout(r, 50)); // the event loop runs meanwhile: nothing blocks it for the lock
    expect(answered).toBe(false);
    expect(stored().ids).toEqual([]);
    await release();
    const ids = await writes;
    const found = stored();
    expect(found.ids).toEqual([...ids].sort());
    expect(found.audit.map((a) => a.action)).toEqual(['create', 'create', 'create']);
    expect(ids.map((id) => s.get(id)?.comment)).toEqual(['c', 'two', 'three']);
  });

  it('expire() returns its commit; settled() waits for every write; a restart loads them', async () => {
    const s = newSilences();
    const id = await s.setDurably(input());
    const release = busyThread();
    const expiring = s.expire(id, 'me');
    expect(expiring).toBeInstanceOf(Promise);
    await release();
    await expiring;
    const other = new Database(db.name, { readonly: true });
    const row = other.prepare('SELECT body FROM silences WHERE id = ?').get(id) as { body: string };
    other.close();
    expect((JSON.parse(row.body) as { endsAt: number }).endsAt).toBeLessThanOrEqual(Date.now());
    // queued writes and the thread's last commit: done once settled() resolves
    const release2 = busyThread();
    const later = s.setDurably(input({ comment: 'late' }));
    const settled = s.settled();
    await release2();
    await settled;
    await expect(later).resolves.toEqual(expect.any(String));
    const again = newSilences();
    expect(again.get(id)?.endsAt).toBeLessThanOrEqual(Date.now());
    expect(again.get(await later)?.comment).toBe('late');
    expect((await s.audit(id)).map((a) => a.action)).toEqual(['create', 'expire']);
  });

  it('a failed commit rejects with SQLite error, keeps nothing of its batch, and the next commits work', async () => {
    const s = newSilences(); // creates the tables
    refuseComment();
    const ok = await s.setDurably(input());
    const release = busyThread();
    const a = s.setDurably(input({ comment: 'refused' }));
    const b = s.setDurably(input({ comment: 'same batch' }));
    await new Promise((r) => setImmediate(r)); // the batch is sent: memory holds them until the commit fails
    expect(s.query()).toHaveLength(3);
    await release();
    await expect(a).rejects.toThrow(/refused by test/);
    await expect(b).rejects.toThrow(/refused by test/);
    // memory: only the silence that was stored
    expect(s.query().map((x) => x.id)).toEqual([ok]);
    expect(stored().ids).toEqual([ok]);
    const next = await s.setDurably(input({ comment: 'after' }));
    expect(stored().ids.sort()).toEqual([ok, next].sort());
  });

  it('a failed update gives the silence its previous version back, in memory and the match index', async () => {
    const s = newSilences(); // creates the tables
    refuseComment();
    const id = await s.setDurably(input({ comment: 'first' }));
    const v = s.version();
    let release = busyThread();
    const update = s.setDurably(input({ id, comment: 'refused' }));
    await release();
    await expect(update).rejects.toThrow(/refused by test/);
    expect(s.get(id)?.comment).toBe('first');
    expect(s.activeMatching({ alertname: 'A' })).toEqual([id]);
    expect(s.version()).toBeGreaterThan(v); // cached silencing results are recomputed
    // an update that replaces the silence (new matchers): the expiry of the old one is undone with it
    release = busyThread();
    const replace = s.setDurably(input({ id, comment: 'refused', matcherSets: [[{ type: '=', name: 'alertname', value: 'B' }]] }));
    await release();
    await expect(replace).rejects.toThrow(/refused by test/);
    expect(s.query().map((x) => [x.id, x.comment])).toEqual([[id, 'first']]);
    expect(s.activeMatching({ alertname: 'A' })).toEqual([id]);
    expect(s.activeMatching({ alertname: 'B' })).toEqual([]);
  });
});
