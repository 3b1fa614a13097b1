import { testNflogEntry } from '../storage-contract';
import type { PgStorage } from './pg-storage';
import { useReplicas } from './testing/database';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PgFlushClaims', () => {
  const replicas = useReplicas(3, 'flush_claims, nflog, group_leases');

  /** claim, "send", commit: what a replica does for one due notification; true if it sent */
  async function flush(r: PgStorage, key: string, groupKey: string, epoch: number | null, expectedVersion: number): Promise<boolean> {
    const c = await r.flushClaims.claim({ key, groupKey, epoch, expectedVersion, ttl: 10_000 });
    if (c.outcome !== 'won') return false;
    return (await r.flushClaims.commit(key, testNflogEntry(groupKey, { firingAlerts: [r.flushClaims.replica] }))) !== undefined;
  }

  test('3 replicas racing to send and log the same 200 flushes: exactly one wins each, its entry is logged', async () => {
    const keys = Array.from({ length: 200 }, (_, i) => `g${i}`);
    // each replica walks the keys from a different place, so that they meet on every key
    const results = await Promise.all(
      replicas.map(async (r, ri) => {
        const won = new Array<boolean>(keys.length);
        const start = Math.floor((ri * keys.length) / replicas.length);
        await Promise.all(
          keys.map(async (_, j) => {
            const i = (start + j) % keys.length;
            won[i] = await flush(r, `${keys[i]}:team/webhook/0`, keys[i]!, null, 0);
          }),
        );
        return won;
      }),
    );
    const entries = new Map((await replicas[0]!.nflog.loadAll()).map((e) => [e.groupKey, e]));
    for (const [i, k] of keys.entries()) {
      const winners = results.map((rs, r) => (rs[i] ? `r${r + 1}` : '')).filter(Boolean);
      expect(winners).toHaveLength(1);
      expect(entries.get(k)).toMatchObject({ firingAlerts: [winners[0]], version: 1 });
    }
    // every replica won some: the race was real
    expect(results.filter((rs) => rs.some(Boolean)).length).toBe(3);
  });

  test('a decision made on an old version is stale once another replica logged', async () => {
    const [r1, r2] = replicas as [PgStorage, PgStorage];
    expect(await flush(r1, 'k', 'g', null, 0)).toBe(true);
    // r2 still believed there was no entry
    expect(await r2.flushClaims.claim({ key: 'k', groupKey: 'g', epoch: null, expectedVersion: 0, ttl: 10_000 })).toEqual({ outcome: 'stale', version: 1 });
    // a stale claim holds nothing: r2, reloaded, decides again and wins
    expect(await flush(r2, 'k', 'g', null, 1)).toBe(true);
    expect((await r1.nflog.loadAll())[0]).toMatchObject({ firingAlerts: ['r2'], version: 2 });
  });

  test('only the lease holder (with its epoch) can claim; a takeover waits for the old owner\'s claim in flight', async () => {
    const [r1, r2] = replicas as [PgStorage, PgStorage];
    const [lease] = await r1.leases.claim(['g'], 500);
    expect(await r2.flushClaims.claim({ key: 'k', groupKey: 'g', epoch: lease!.epoch, expectedVersion: 0, ttl: 800 })).toMatchObject({ outcome: 'lease' });
    // r1 claims the flush (it is sending), then stalls past its lease
    expect(await r1.flushClaims.claim({ key: 'k', groupKey: 'g', epoch: lease!.epoch, expectedVersion: 0, ttl: 800 })).toMatchObject({ outcome: 'won' });
    await sleep(600);
    const [taken] = await r2.leases.claim(['g'], 30_000);
    expect(taken).toMatchObject({ owner: 'r2', epoch: lease!.epoch + 1 });
    // r1's old epoch is fenced off; r2 must wait for r1's claim in flight
    expect(await r1.flushClaims.claim({ key: 'k', groupKey: 'g', epoch: lease!.epoch, expectedVersion: 0, ttl: 800 })).toMatchObject({ outcome: 'lease' });
    expect(await r2.flushClaims.claim({ key: 'k', groupKey: 'g', epoch: taken!.epoch, expectedVersion: 0, ttl: 10_000 })).toMatchObject({ outcome: 'busy' });
    // r1's send finishes within its claim: it logs; r2's decision is then stale, so nothing is sent twice
    expect(await r1.flushClaims.commit('k', testNflogEntry('g', { firingAlerts: ['r1'] }))).toBe(1);
    expect(await r2.flushClaims.claim({ key: 'k', groupKey: 'g', epoch: taken!.epoch, expectedVersion: 0, ttl: 10_000 })).toEqual({ outcome: 'stale', version: 1 });
  });

  test('a claim whose owner died expires; the next claimant takes it and the dead one cannot log any more', async () => {
    const [r1, r2] = replicas as [PgStorage, PgStorage];
    expect((await r1.flushClaims.claim({ key: 'k', groupKey: 'g', epoch: null, expectedVersion: 0, ttl: 300 })).outcome).toBe('won');
    expect((await r2.flushClaims.claim({ key: 'k', groupKey: 'g', epoch: null, expectedVersion: 0, ttl: 10_000 })).outcome).toBe('busy');
    await sleep(400);
    expect((await r2.flushClaims.claim({ key: 'k', groupKey: 'g', epoch: null, expectedVersion: 0, ttl: 10_000 })).outcome).toBe('won');
    expect(await r1.flushClaims.commit('k', testNflogEntry('g', { firingAlerts: ['r1'] }))).toBeUndefined();
    expect(await r2.flushClaims.commit('k', testNflogEntry('g', { firingAlerts: ['r2'] }))).toBe(1);
    expect((await r1.nflog.loadAll()).map((e) => e.firingAlerts)).toEqual([['r2']]);
  });

  test('claimMany()/commitMany(): each key decided on its own in one round trip; only keys still claimed are logged', async () => {
    const [r1, r2] = replicas as [PgStorage, PgStorage];
    const [lease] = await r1.leases.claim(['g-leased'], 30_000);
    await r2.flushClaims.claim({ key: 'k-busy', groupKey: 'g', epoch: null, expectedVersion: 0, ttl: 60_000 });
    await r2.nflog.upsertMany([['k-stale', testNflogEntry('g')]]);
    const got = await r1.flushClaims.claimMany(
      [
        { key: 'k-won', groupKey: 'g', epoch: null, expectedVersion: 0 },
        { key: 'k-busy', groupKey: 'g', epoch: null, expectedVersion: 0 },
        { key: 'k-stale', groupKey: 'g', epoch: null, expectedVersion: 0 },
        { key: 'k-lease', groupKey: 'g-leased', epoch: lease!.epoch + 1, expectedVersion: 0 },
        { key: 'k-leased', groupKey: 'g-leased', epoch: lease!.epoch, expectedVersion: 0 },
      ],
      60_000,
    );
    expect(got.map((r) => [r.key, r.outcome])).toEqual([
      ['k-won', 'won'],
      ['k-busy', 'busy'],
      ['k-stale', 'stale'],
      ['k-lease', 'lease'],
      ['k-leased', 'won'],
    ]);
    const versions = await r1.flushClaims.commitMany([
      ['k-won', testNflogEntry('g1')],
      ['k-busy', testNflogEntry('g2')],
      ['k-leased', testNflogEntry('g3')],
    ]);
    expect(versions).toEqual(new Map([['k-won', 1], ['k-leased', 1]]));
    expect((await r1.nflog.loadAll()).map((e) => e.groupKey).sort()).toEqual(['g', 'g1', 'g3']);
  });

  test('release() gives a claim up at once (a send that failed for good)', async () => {
    const [r1, r2] = replicas as [PgStorage, PgStorage];
    await r1.flushClaims.claim({ key: 'k', groupKey: 'g', epoch: null, expectedVersion: 0, ttl: 60_000 });
    expect(await r2.flushClaims.release('k')).toBe(false);
    expect(await r1.flushClaims.release('k')).toBe(true);
    expect((await r2.flushClaims.claim({ key: 'k', groupKey: 'g', epoch: null, expectedVersion: 0, ttl: 60_000 })).outcome).toBe('won');
  });

  test('gc() deletes free claims and long-expired ones, never a live one; a key without a row is claimed afresh', async () => {
    const [r1, r2] = replicas as [PgStorage, PgStorage];
    expect(await flush(r1, 'k-free', 'g', null, 0)).toBe(true);
    await r1.flushClaims.claim({ key: 'k-dead', groupKey: 'g', epoch: null, expectedVersion: 0, ttl: 1 });
    await r2.flushClaims.claim({ key: 'k-live', groupKey: 'g', epoch: null, expectedVersion: 0, ttl: 60_000 });
    await sleep(300);
    expect(await r1.flushClaims.gc(100)).toBe(2);
    expect((await r1.pool.query('SELECT key FROM flush_claims')).rows).toEqual([{ key: 'k-live' }]);
    // the logged version still guards the freed key
    expect((await r2.flushClaims.claim({ key: 'k-free', groupKey: 'g', epoch: null, expectedVersion: 0, ttl: 1000 })).outcome).toBe('stale');
    expect((await r2.flushClaims.claim({ key: 'k-free', groupKey: 'g', epoch: null, expectedVersion: 1, ttl: 1000 })).outcome).toBe('won');
  });
});
