import { NOW, testSilence } from '../storage-contract';
import type { PgListener } from './listener';
import type { PgStorage } from './pg-storage';
import { decodeSilenceChange, encodeSilenceChange, type SilenceChange } from './silences';
import { createTestDatabase, openReplicas, type TestDatabase } from './testing/database';

/** resolves with the first value `take` returns (polling the collected events), or rejects after ms */
async function waitFor<T>(take: () => T | undefined, ms: number): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = take();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`nothing within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('PgSilenceStore', () => {
  let db: TestDatabase;
  let replicas: PgStorage[];
  const listeners: PgListener[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    replicas = await openReplicas(db.url, 3);
  });
  afterAll(async () => {
    await Promise.all(listeners.map((l) => l.stop()));
    await Promise.all(replicas.map((r) => r.close()));
    await db.drop();
  });

  test('a silence created on replica 1 reaches replica 3 within 1 s; expiring it on replica 2 too; never echoed to the writer', async () => {
    const seen: { r: number; c: SilenceChange; at: number }[] = [];
    for (const r of [0, 2]) {
      const l = replicas[r]!.watchSilences((c) => seen.push({ r, c, at: Date.now() }), () => undefined);
      listeners.push(l);
      expect(await l.start()).toBe(true);
    }
    const t0 = Date.now();
    await replicas[0]!.silences.put([{ silence: testSilence('s1'), expiresAt: NOW + 1 }]);
    const ev = await waitFor(() => seen.find((e) => e.r === 2), 1000);
    expect(ev.c).toEqual({ from: 'r1', ids: ['s1'] });
    expect(ev.at - t0).toBeLessThan(1000);
    expect((await replicas[2]!.silences.get(ev.c.ids as string[]))[0]!.silence.id).toBe('s1');

    const t1 = Date.now();
    await replicas[1]!.silences.put([{ silence: testSilence('s1', { endsAt: t1 }), expiresAt: NOW + 2 }]);
    const ev2 = await waitFor(() => seen.find((e) => e.r === 2 && e.c.from === 'r2'), 1000);
    expect(ev2.at - t1).toBeLessThan(1000);
    expect((await replicas[2]!.silences.get(['s1']))[0]!.silence.endsAt).toBe(t1);
    // replica 1 heard replica 2's change, but never its own
    await waitFor(() => seen.find((e) => e.r === 0 && e.c.from === 'r2'), 1000);
    expect(seen.filter((e) => e.c.from === `r${e.r + 1}`)).toEqual([]);
  });

  test('a rolled-back write notifies nobody', async () => {
    const seen: SilenceChange[] = [];
    const l = replicas[2]!.watchSilences((c) => seen.push(c), () => undefined);
    listeners.push(l);
    await l.start();
    const c = await replicas[0]!.pool.connect();
    try {
      await c.query('BEGIN');
      await c.query("SELECT pg_notify('tocsin_silences', $1)", [encodeSilenceChange('r1', ['ghost'])]);
      await c.query('ROLLBACK');
    } finally {
      c.release();
    }
    await replicas[0]!.silences.put([{ silence: testSilence('real'), expiresAt: NOW }]);
    await waitFor(() => seen.find((x) => x.ids !== 'all' && x.ids.includes('real')), 1000);
    expect(seen.flatMap((x) => x.ids)).not.toContain('ghost');
  });

  test('the listener reconnects after its connection is killed, asks for a resync, and hears later changes', async () => {
    const seen: SilenceChange[] = [];
    let resyncs = 0;
    const l = replicas[2]!.watchSilences((c) => seen.push(c), () => resyncs++, { reconnectMax: 200 });
    listeners.push(l);
    await l.start();
    const pids = async () =>
      (
        await replicas[0]!.pool.query<{ pid: number }>(
          "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%' AND pid <> pg_backend_pid()",
        )
      ).rows.map((r) => r.pid);
    const before = await pids();
    expect(before.length).toBeGreaterThan(0);
    await replicas[0]!.pool.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [before]);
    await waitFor(() => (resyncs > 0 && l.connected ? true : undefined), 5000);
    expect(l.connects).toBe(2);
    await replicas[0]!.silences.put([{ silence: testSilence('after'), expiresAt: NOW }]);
    await waitFor(() => seen.find((x) => x.ids !== 'all' && x.ids.includes('after')), 1000);
  });

  test('a change too large for one notification asks listeners to re-read everything', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `silence-id-${i}-0123456789abcdef`);
    expect(decodeSilenceChange(encodeSilenceChange('r1', ids))).toEqual({ from: 'r1', ids: 'all' });
    expect(decodeSilenceChange(encodeSilenceChange('r1', ['x']))).toEqual({ from: 'r1', ids: ['x'] });
    expect(decodeSilenceChange('garbage')).toEqual({ from: '', ids: 'all' });
  });
});
