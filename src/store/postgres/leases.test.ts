import type { PgStorage } from './pg-storage';
import { useReplicas } from './testing/database';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PgLeases', () => {
  const replicas = useReplicas(3, 'group_leases');
  const keys = Array.from({ length: 200 }, (_, i) => `{}/{team="a"}:{alertname="G${i}"}`);

  test('3 replicas racing to claim the same 200 groups: each group is claimed by exactly one', async () => {
    // each replica claims in its own order and in batches, all at once
    const won = await Promise.all(
      replicas.map(async (r, i) => {
        const order = i === 1 ? [...keys].reverse() : keys;
        const got = await Promise.all([0, 1, 2, 3].map((b) => r.leases.claim(order.slice(b * 50, b * 50 + 50), 30_000)));
        return got.flat().map((l) => l.groupKey);
      }),
    );
    const all = won.flat();
    expect(all).toHaveLength(200);
    expect(new Set(all).size).toBe(200);
    const stored = await replicas[0]!.leases.get(keys);
    for (const [i, mine] of won.entries()) {
      for (const k of mine) expect(stored.find((l) => l.groupKey === k)).toMatchObject({ owner: `r${i + 1}`, epoch: 1 });
    }
    // a second round changes nothing: the others' leases are live
    const again = await Promise.all(replicas.map((r) => r.leases.claim(keys, 30_000)));
    expect(again.map((ls) => ls.map((l) => l.groupKey).sort())).toEqual(won.map((ks) => [...ks].sort()));
    const owners = await replicas[2]!.leases.owners();
    expect([...owners.values()].reduce((a, b) => a + b, 0)).toBe(200);
  });

  test('an expired lease goes to the next claimant with epoch + 1; renewal keeps a live one', async () => {
    const [r1, r2, r3] = replicas as [PgStorage, PgStorage, PgStorage];
    const ttl = 1000;
    expect(await r1.leases.claim(['g-dead', 'g-live'], ttl)).toHaveLength(2);
    expect(await r2.leases.claim(['g-dead', 'g-live'], 30_000)).toEqual([]);
    // r1 keeps g-live (long renewal) and lets g-dead run out, as a replica that dies would
    await r1.leases.release(['g-dead']);
    expect((await r1.leases.claim(['g-dead'], ttl)).map((l) => l.epoch)).toEqual([1]);
    expect((await r1.leases.claim(['g-live'], 60_000)).map((l) => l.epoch)).toEqual([1]);
    await sleep(ttl + 200);
    const taken = await Promise.all([r2.leases.claim(['g-dead', 'g-live'], 30_000), r3.leases.claim(['g-dead', 'g-live'], 30_000)]);
    expect(taken.flat().map((l) => [l.groupKey, l.epoch])).toEqual([['g-dead', 2]]);
    expect(taken.flat()[0]!.owner).not.toBe('r1');
    // the old owner learns at its next heartbeat which leases it still holds
    expect((await r1.leases.renewAll(ttl)).map((l) => l.groupKey)).toEqual(['g-live']);
  });

  test('release() frees a group at once for another replica; only the owner can release', async () => {
    const [r1, r2] = replicas as [PgStorage, PgStorage];
    await r1.leases.claim(['g'], 30_000);
    expect(await r2.leases.release(['g'])).toBe(0);
    expect(await r2.leases.claim(['g'], 30_000)).toEqual([]);
    expect(await r1.leases.releaseAll()).toBe(1);
    expect((await r2.leases.claim(['g'], 30_000)).map((l) => [l.groupKey, l.owner])).toEqual([['g', 'r2']]);
  });

  test('gc() deletes only leases expired for longer than the grace period', async () => {
    const [r1, r2] = replicas as [PgStorage, PgStorage];
    await r1.leases.claim(['old'], 1);
    await r2.leases.claim(['live'], 60_000);
    await sleep(300);
    expect(await r1.leases.gc(60_000)).toBe(0);
    expect(await r1.leases.gc(100)).toBe(1);
    expect((await r1.leases.get(['old', 'live'])).map((l) => l.groupKey)).toEqual(['live']);
  });

  test('claim() with a limit shares 300 groups among 3 replicas claiming at once: 100 each, each group once', async () => {
    const groups = Array.from({ length: 300 }, (_, i) => `g${i}`);
    const held = replicas.map(() => new Set<string>());
    let rounds = 0;
    // each heartbeat: claim up to the fair share, minus what is held; renewals do not count
    while (held.some((h) => h.size < 100) && rounds++ < 10) {
      const got = await Promise.all(replicas.map((r, i) => r.leases.claim(groups, 30_000, 100 - held[i]!.size)));
      for (const [i, ls] of got.entries()) for (const l of ls) held[i]!.add(l.groupKey);
    }
    expect(held.map((h) => h.size)).toEqual([100, 100, 100]);
    expect(new Set(held.flatMap((h) => [...h])).size).toBe(300);
    // rendezvous hashing: the first round already placed most groups
    expect(rounds).toBeLessThan(10);
    // a full share takes nothing new but still renews
    const again = await replicas[0]!.leases.claim(groups, 30_000, 0);
    expect(new Set(again.map((l) => l.groupKey))).toEqual(held[0]);
  });
});
