/**
 * Silences over SQLite's writer thread (src/store/silences.ts with a SqliteWriterThread): a write is durable
 * when its promise resolves (another connection, opened after, finds it), and a failed commit is undone in
 * memory. The failures are real: a trigger makes SQLite refuse the row.
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
    const audit = (other.prepare('SELECT silence_id, body FROM silence_audit ORDER BY id').all() as { silence_id: string; body: string }[]).map((r) => ({
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
  it('commits on the thread: stored with its audit entry once setDurably() resolves (group commit of concurrent writes)', async () => {
    const s = newSilences();
    expect(writer.active).toBe(false);
    const ids = await Promise.all([s.setDurably(input()), s.setDurably(input({ comment: 'two' })), s.setDurably(input({ comment: 'three' }))]);
    expect(writer.active).toBe(true); // the first silence write started the thread
    const found = stored();
    expect(found.ids).toEqual([...ids].sort());
    expect(found.audit.map((a) => a.action)).toEqual(['create', 'create', 'create']);
    expect(ids.map((id) => s.get(id)?.comment)).toEqual(['c', 'two', 'three']);
  });

  it('expire() returns its commit; settled() waits for every write; a restart loads them', async () => {
    const s = newSilences();
    const id = await s.setDurably(input());
    const expiring = s.expire(id, 'me');
    expect(expiring).toBeInstanceOf(Promise);
    await expiring;
    const other = new Database(db.name, { readonly: true });
    const row = other.prepare('SELECT body FROM silences WHERE id = ?').get(id) as { body: string };
    other.close();
    expect((JSON.parse(row.body) as { endsAt: number }).endsAt).toBeLessThanOrEqual(Date.now());
    // queued writes and the thread's last commit: done once settled() resolves
    const later = s.setDurably(input({ comment: 'late' }));
    await s.settled();
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
    const a = s.setDurably(input({ comment: 'refused' }));
    const b = s.setDurably(input({ comment: 'same batch' }));
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
    await expect(s.setDurably(input({ id, comment: 'refused' }))).rejects.toThrow(/refused by test/);
    expect(s.get(id)?.comment).toBe('first');
    expect(s.activeMatching({ alertname: 'A' })).toEqual([id]);
    expect(s.version()).toBeGreaterThan(v); // cached silencing results are recomputed
    // an update that replaces the silence (new matchers): the expiry of the old one is undone with it
    await expect(s.setDurably(input({ id, comment: 'refused', matcherSets: [[{ type: '=', name: 'alertname', value: 'B' }]] }))).rejects.toThrow(/refused by test/);
    expect(s.query().map((x) => [x.id, x.comment])).toEqual([[id, 'first']]);
    expect(s.activeMatching({ alertname: 'A' })).toEqual([id]);
    expect(s.activeMatching({ alertname: 'B' })).toEqual([]);
  });
});
