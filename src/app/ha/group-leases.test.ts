/**
 * GroupLeases against a real PostgreSQL (a random database, dropped after): replicas share the groups, a
 * replica that stops renewing loses its groups to the others within ttl + one heartbeat, a graceful stop hands
 * them over at the next heartbeat, and a group taken over is not flushed as owned before its history is read.
 */
import { createHash } from 'node:crypto';
import { Registry } from 'prom-client';
import type { PgStorage } from '../../store/postgres/pg-storage';
import { useReplicas } from '../../store/postgres/testing/database';
import { silentLogger } from '../../types/logger';
import { GroupLeases } from './group-leases';
import { StorageHealth } from './storage-health';

const TTL = 800;
const KEYS = Array.from({ length: 60 }, (_, i) => `{}:{g="${i}"}`);

describe('GroupLeases (real PostgreSQL)', () => {
  const stores = useReplicas(3, 'group_leases, replicas');
  const started: GroupLeases[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((l) => l.stop()));
  });

  let groups: readonly string[] = KEYS;
  beforeEach(() => {
    groups = KEYS;
  });
  const make = (storage: PgStorage, name: string, onAcquire?: (keys: string[]) => Promise<void>) =>
    new GroupLeases({
      storage,
      health: new StorageHealth(silentLogger()),
      logger: silentLogger(),
      registry: new Registry(),
      name,
      address: `${name}:9093`,
      ttl: TTL,
      groupKeys: () => groups,
      ...(onAcquire ? { onAcquire } : {}),
    });
  const owners = (ls: GroupLeases[]) => KEYS.map((k) => ls.filter((l) => l.epochOf(k) !== undefined).length);

  it('each group has exactly one owner, spread over the replicas; a dead replica\'s groups are taken within ttl + a heartbeat', async () => {
    const ls = stores.map((s, i) => make(s, `r${i + 1}`));
    // the replicas are up before the groups appear
    groups = [];
    await Promise.all(ls.map((l) => l.tick()));
    await Promise.all(ls.map((l) => l.tick())); // every replica sees the others
    groups = KEYS;
    for (let i = 0; i < 3; i++) await Promise.all(ls.map((l) => l.tick()));
    expect(owners(ls)).toEqual(KEYS.map(() => 1));
    const counts = ls.map((l) => l.ownedCount);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(10); // rendezvous spread (60 over 3)
    expect(ls.map((l) => l.live.length)).toEqual([3, 3, 3]);

    // r1 dies: it stops heartbeating (no release)
    const deadOwned = ls[0]!.ownedCount;
    const survivors = ls.slice(1);
    for (const l of survivors) {
      await l.start();
      started.push(l);
    }
    const t0 = Date.now();
    await waitUntil(() => KEYS.every((k) => survivors.some((l) => l.epochOf(k) !== undefined)), 10_000);
    const took = Date.now() - t0;
    expect(took).toBeLessThan(TTL + TTL / 4 + 1000); // ttl + heartbeat (+ slack for a loaded machine)
    expect(owners(survivors)).toEqual(KEYS.map(() => 1));
    expect(survivors.map((l) => l.live.length)).toEqual([2, 2]);
    expect(deadOwned).toBeGreaterThan(0);
  });

  it('replicas that join later get their share, one owner per group all along', async () => {
    const ls = stores.map((s, i) => make(s, `r${i + 1}`));
    await ls[0]!.tick();
    await ls[0]!.tick();
    expect(ls[0]!.ownedCount).toBe(KEYS.length); // alone: every group
    for (let round = 0; round < 25; round++) {
      for (const l of ls) await l.tick();
      for (const n of owners(ls)) expect(n).toBeLessThanOrEqual(1);
    }
    expect(owners(ls)).toEqual(KEYS.map(() => 1));
    expect(Math.min(...ls.map((l) => l.ownedCount))).toBeGreaterThanOrEqual(10);
  });

  it('a group taken over counts as owned only once its history is read', async () => {
    let release: () => void = () => undefined;
    const reading = new Promise<void>((r) => {
      release = r;
    });
    const l = make(stores[0]!, 'r1', () => reading);
    await l.tick();
    await l.tick();
    expect(l.ownedCount).toBe(KEYS.length);
    expect(l.epochOf(KEYS[0]!)).toBeUndefined(); // still reading
    release();
    await reading;
    await new Promise((r) => setImmediate(r));
    expect(l.epochOf(KEYS[0]!)).toBe(1);
    await l.stop();
  });

  it('a group created is claimed at once by its preferred replica (history read), not at its first flush', async () => {
    groups = [];
    const read: string[][] = [];
    const ls = stores.slice(0, 2).map((s, i) =>
      make(s, `r${i + 1}`, async (keys) => {
        if (i === 0) read.push(keys);
      }),
    );
    await Promise.all(ls.map((l) => l.tick()));
    await Promise.all(ls.map((l) => l.tick())); // both see each other
    const mine = KEYS.filter((k) => ls[0]!.preferred(k) === 'r1').slice(0, 5);
    const theirs = KEYS.find((k) => ls[0]!.preferred(k) === 'r2')!;
    for (const k of [...mine, theirs]) ls[0]!.prefetch(k);
    // the flush of one of them, due meanwhile, waits for the same claim
    const epoch = await ls[0]!.claimIfPreferred(mine[0]!);
    expect(epoch).toBe(1);
    for (const k of mine) expect(ls[0]!.epochOf(k)).toBe(1);
    expect(ls[0]!.epochOf(theirs)).toBeUndefined();
    // one claim and one history read for the groups created together
    expect(read.map((keys) => [...keys].sort())).toEqual([[...mine].sort()]);
    await Promise.all(ls.map((l) => l.stop()));
  });

  it("a group's preferred replica follows the live replicas: a replica that leaves or joins changes it", async () => {
    groups = [];
    const ls = stores.slice(0, 2).map((s, i) => make(s, `r${i + 1}`));
    const r1 = ls[0]!;
    expect(KEYS.map((k) => r1.preferred(k))).toEqual(KEYS.map(() => 'r1')); // before any heartbeat: itself
    await Promise.all(ls.map((l) => l.tick()));
    await Promise.all(ls.map((l) => l.tick()));
    const withR2 = KEYS.map((k) => r1.preferred(k));
    expect(withR2).toContain('r2');
    expect(withR2).toContain('r1');
    expect(KEYS.map((k) => ls[1]!.preferred(k))).toEqual(withR2); // both agree
    // and agree with replicas of earlier versions: the highest MD5 of key, NUL, name
    const md5 = (k: string, n: string) => createHash('md5').update(k).update('\0').update(n).digest('hex');
    expect(withR2).toEqual(KEYS.map((k) => (md5(k, 'r2') > md5(k, 'r1') ? 'r2' : 'r1')));
    // r2 stops (its row goes): at r1's next heartbeat every group prefers r1 again
    await ls[1]!.stop();
    await r1.tick();
    expect(KEYS.map((k) => r1.preferred(k))).toEqual(KEYS.map(() => 'r1'));
    // a third replica joins: some groups prefer it
    const r3 = make(stores[2]!, 'r3');
    await r3.tick();
    await r1.tick();
    const withR3 = KEYS.map((k) => r1.preferred(k));
    expect(withR3).toContain('r3');
    expect(withR3).not.toContain('r2');
    await Promise.all([r1.stop(), r3.stop()]);
  });

  it('a graceful stop hands every group over at the next heartbeat of the others', async () => {
    const [a, b] = [make(stores[0]!, 'r1'), make(stores[1]!, 'r2')];
    await a.tick();
    await a.tick();
    expect(a.ownedCount).toBe(KEYS.length);
    await b.tick();
    await a.stop();
    await b.tick();
    await b.tick(); // the orphans' grace heartbeat
    expect(b.ownedCount).toBe(KEYS.length);
    expect(KEYS.every((k) => a.epochOf(k) === undefined)).toBe(true);
  });
});

async function waitUntil(ok: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
