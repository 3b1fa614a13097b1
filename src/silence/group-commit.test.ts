import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DB, openDatabase } from '../store/db';
import { SilenceStore } from '../store/silences';
import type { Clock } from '../types/clock';
import { ValidationError } from '../types/errors';
import { silentLogger } from '../types/logger';
import { GroupCommit } from './group-commit';
import { Silences } from './silences';
import type { SilencePersistence } from './store';
import type { SilenceInput } from './types';

const H = 3600_000;
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const clock: Clock = { now: () => T0, setTimer: () => ({ cancel: () => {} }) };

let dir: string;
let db: DB;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tocsin-gc-'));
  db = openDatabase(dir);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The real SQLite store, counting its transactions; `fail` makes the next put throw like a failed commit. */
class CountingStore implements SilencePersistence {
  readonly inner = new SilenceStore(db);
  puts: string[][] = [];
  fail = false;
  loadAll() {
    return this.inner.loadAll();
  }
  put(items: Parameters<SilencePersistence['put']>[0]): void {
    if (this.fail) throw new Error('disk I/O error');
    this.puts.push(items.map((i) => i.silence.id));
    this.inner.put(items);
  }
  delete(ids: readonly string[]): void {
    this.inner.delete(ids);
  }
}

function input(name: string, over: Partial<SilenceInput> = {}): SilenceInput {
  return {
    matcherSets: [[{ type: '=', name: 'alertname', value: name }]],
    startsAt: T0,
    endsAt: T0 + H,
    createdBy: 'me',
    comment: 'c',
    ...over,
  };
}

function newSilences(store: SilencePersistence, maxSilences = 0): Silences {
  return new Silences({ store, clock, logger: silentLogger(), retention: 120 * H, maxSilences });
}

describe('GroupCommit', () => {
  test('items added in the same turn share one commit; later ones form the next', async () => {
    const commits: number[][] = [];
    const g = new GroupCommit<number>((items) => {
      commits.push([...items]);
    });
    await Promise.all([g.add(1), g.add(2), g.add(3)]);
    await g.add(4);
    expect(commits).toEqual([[1, 2, 3], [4]]);
  });

  test('a failed commit rejects every waiter of its batch and not the next batch', async () => {
    let fail = true;
    const g = new GroupCommit<number>(() => {
      if (fail) throw new Error('boom');
    });
    const results = await Promise.allSettled([g.add(1), g.add(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(g.add(3)).resolves.toBeUndefined();
  });

  test('an asynchronous commit: items arriving meanwhile wait for the next batch', async () => {
    const commits: number[][] = [];
    let release!: () => void;
    const g = new GroupCommit<number>((items) => {
      commits.push([...items]);
      if (commits.length === 1) return new Promise<void>((r) => (release = r));
      return undefined;
    });
    const first = g.add(1);
    await new Promise((r) => setImmediate(r));
    const second = g.add(2);
    await new Promise((r) => setImmediate(r));
    expect(commits).toEqual([[1]]); // 2 waits for 1's commit
    release();
    await Promise.all([first, second]);
    expect(commits).toEqual([[1], [2]]);
  });

  it('flush(true) starts the open batch behind a running commit; idle() waits for both', async () => {
    const commits: number[][] = [];
    const releases: (() => void)[] = [];
    const g = new GroupCommit<number>((items) => {
      commits.push([...items]);
      return new Promise<void>((r) => releases.push(r));
    });
    const first = g.add(1);
    await new Promise((r) => setImmediate(r));
    const second = g.add(2);
    g.flush(); // a commit is running: waits
    expect(commits).toEqual([[1]]);
    g.flush(true); // a writer that must not overtake item 2 (e.g. an expiry on the writer thread)
    expect(commits).toEqual([[1], [2]]);
    let idle = false;
    const waiting = g.idle().then(() => (idle = true));
    releases[0]!();
    await first;
    await new Promise((r) => setImmediate(r));
    expect(idle).toBe(false); // 2 is still committing
    releases[1]!();
    await Promise.all([second, waiting]);
    expect(g.pending).toBe(0);
  });
});

describe('Silences.setDurably() (group commit)', () => {
  test('concurrent creates: one transaction, each resolves after it with its id, all durable', async () => {
    const store = new CountingStore();
    const s = newSilences(store);
    const ids = await Promise.all(Array.from({ length: 50 }, (_, i) => s.setDurably(input(`A${i}`))));
    expect(store.puts).toHaveLength(1);
    expect(store.puts[0]).toEqual(ids);
    for (const id of ids) expect(s.get(id)?.id).toBe(id);
    // another instance over the same database (as after a restart) has all of them
    const again = newSilences(new SilenceStore(db));
    expect(again.query().map((x) => x.id).sort()).toEqual([...ids].sort());
  });

  test('not visible before its commit', async () => {
    const s = newSilences(new CountingStore());
    const p = s.setDurably(input('A'));
    expect(s.query()).toHaveLength(0);
    const id = await p;
    expect(s.query().map((x) => x.id)).toEqual([id]);
  });

  test('a failed commit: every waiter gets the error and nothing is left in memory or in the database', async () => {
    const store = new CountingStore();
    const s = newSilences(store, 2); // a failed write must not count against the limit afterwards
    const v0 = s.version();
    store.fail = true;
    const results = await Promise.allSettled([s.setDurably(input('A')), s.setDurably(input('B'))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason.message).toBe('disk I/O error');
    expect(s.query()).toHaveLength(0);
    expect(s.query({ matches: { alertname: 'A' }, states: ['active'] })).toHaveLength(0);
    expect(s.version()).toBe(v0);
    expect(new SilenceStore(db).loadAll()).toHaveLength(0);
    // the store recovers: the next batch commits
    store.fail = false;
    const id = await s.setDurably(input('C'));
    expect(s.query().map((x) => x.id)).toEqual([id]);
  });

  test('updates queued together: expire + create in order, in one transaction, the second seeing the first', async () => {
    const store = new CountingStore();
    const s = newSilences(store);
    const id1 = await s.setDurably(input('A'));
    // changed matchers: the old silence is expired and a new one created; the second update plans against the
    // first one's queued expiry (ending at this very instant, which still counts as active: it is expired again,
    // exactly as two set() calls in a row at the same instant do)
    const [id2, id3] = await Promise.all([s.setDurably(input('B', { id: id1 })), s.setDurably(input('C', { id: id1 }))]);
    expect(new Set([id1, id2, id3]).size).toBe(3);
    expect(store.puts).toEqual([[id1], [id1, id2, id1, id3]]);
    expect(s.get(id1)?.endsAt).toBe(T0);
    expect(s.get(id2)?.endsAt).toBe(T0 + H);
    expect(s.get(id3)?.endsAt).toBe(T0 + H);
    expect(newSilences(new SilenceStore(db)).get(id1)?.endsAt).toBe(T0);
  });

  test('in-place update and create of the same batch: the last write wins in memory and on disk', async () => {
    const s = newSilences(new CountingStore());
    const id = await s.setDurably(input('A'));
    const [a, b] = await Promise.all([
      s.setDurably(input('A', { id, comment: 'first' })),
      s.setDurably(input('A', { id, comment: 'second' })),
    ]);
    expect([a, b]).toEqual([id, id]);
    expect(s.get(id)?.comment).toBe('second');
    expect(newSilences(new SilenceStore(db)).get(id)?.comment).toBe('second');
  });

  test('--silences.max-silences counts queued creates', async () => {
    const s = newSilences(new CountingStore(), 2);
    const results = await Promise.allSettled([s.setDurably(input('A')), s.setDurably(input('B')), s.setDurably(input('C'))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect((results[2] as PromiseRejectedResult).reason).toBeInstanceOf(ValidationError);
    expect(s.query()).toHaveLength(2);
  });

  test('set() and expire() commit the queued writes first', async () => {
    const store = new CountingStore();
    const s = newSilences(store);
    const queued = s.setDurably(input('A'));
    const direct = s.set(input('B'));
    expect(store.puts).toHaveLength(2);
    expect(store.puts[1]).toEqual([direct]);
    const id = await queued;
    expect(store.puts[0]).toEqual([id]);
  });
});
