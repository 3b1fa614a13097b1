/**
 * SharedNotificationLog against a real PostgreSQL: the owner claims, sends and logs; a replica that takes the
 * group over decides again from the stored entry (a 'stale' claim), so it neither re-sends early nor misses a
 * resolution; a non-owner never claims; with the database unreachable the owner decides alone and its entries
 * are written when the database is back.
 */
import { Registry } from 'prom-client';
import { Nflog } from '../../nflog/nflog';
import { needsUpdate } from '../../pipeline/dedup-stage';
import type { PgStorage } from '../../store/postgres/pg-storage';
import { useReplicas } from '../../store/postgres/testing/database';
import { systemClock } from '../../types/clock';
import { silentLogger } from '../../types/logger';
import { GroupLeases } from './group-leases';
import { CLAIM_AHEAD_MAX_LEAD, claimAheadLead, SharedNotificationLog } from './shared-nflog';
import { StorageHealth } from './storage-health';

const G = '{}:{g="1"}';
const R = { groupName: 'wh', integration: 'webhook', idx: 0 };
const REPEAT = 3600_000;

describe('SharedNotificationLog (real PostgreSQL)', () => {
  const stores = useReplicas(2, 'group_leases, replicas, nflog, flush_claims, nflog_intent');
  afterEach(() => jest.restoreAllMocks());

  const replica = (storage: PgStorage, name: string, groupKeys: string[] = []) => {
    const health = new StorageHealth(silentLogger());
    const nflog = new Nflog({ clock: systemClock });
    let leases: GroupLeases | undefined;
    const log = new SharedNotificationLog({ nflog, storage, leases: () => leases, health, logger: silentLogger(), claimTtl: 10_000 });
    leases = new GroupLeases({
      storage,
      health,
      logger: silentLogger(),
      registry: new Registry(),
      name,
      address: name,
      ttl: 60_000,
      groupKeys: () => groupKeys,
      // as src/app/ha/ha-runtime.ts: the group's entries and intents
      onAcquire: async (keys) => {
        log.load(await storage.nflog.byGroups(keys));
        log.loadIntents(await storage.nflog.intents(Date.now(), keys));
      },
    });
    return { log, leases, health, nflog };
  };
  const decide = (firing: string[], resolved: string[] = []) => (e: Parameters<typeof needsUpdate>[0]) => needsUpdate(e, firing, resolved, true, REPEAT, Date.now());
  const flush = async (r: ReturnType<typeof replica>, firing: string[], resolved: string[] = []) => {
    const d = decide(firing, resolved);
    if (!d(r.log.query(G, R))) return undefined;
    const c = await r.log.claim(G, R, d);
    if (c) await r.log.log(R, G, firing, resolved, REPEAT);
    return c?.reason;
  };

  it('only the owner sends; a takeover decides from the stored entry', async () => {
    const r1 = replica(stores[0]!, 'r1');
    const r2 = replica(stores[1]!, 'r2');
    await r1.leases.tick();
    await r2.leases.tick();
    // r1 is the group's preferred replica or not: take the group explicitly for r1
    await stores[0]!.leases.claim([G], 60_000);
    await r1.leases.tick();
    expect(r1.leases.epochOf(G)).toBe(1);

    expect(await flush(r2, ['a'])).toBeUndefined(); // not r2's group: nothing claimed
    expect(await flush(r1, ['a'])).toBe('first notification');
    expect(await flush(r1, ['a'])).toBeUndefined(); // logged: nothing new

    // r1 dies; its lease moves to r2 (epoch 2); r2 has no local entry and would say 'first notification'
    await stores[0]!.pool.query('UPDATE group_leases SET expires_at = 0');
    await stores[1]!.leases.claim([G], 60_000);
    await r2.leases.tick();
    await new Promise((r) => setTimeout(r, 50)); // onAcquire reads the history
    expect(r2.leases.epochOf(G)).toBe(2);
    expect(await flush(r2, ['a'])).toBeUndefined(); // the stored entry says it was sent
    expect(await flush(r2, [], ['a'])).toBe('all alerts resolved');
    // r1's stale epoch can no longer claim
    expect(await r1.log.claim(G, R, decide(['b']))).toBeUndefined();
  });

  it('a stale local entry is replaced by the stored one before deciding (claim says stale)', async () => {
    const r2 = replica(stores[1]!, 'r2');
    await stores[1]!.leases.claim([G], 60_000);
    await r2.leases.tick();
    // r2 logged 'a' under its claim; then the stored entry moves on without r2 seeing it (another writer)
    expect(await flush(r2, ['a'])).toBe('first notification');
    const stored = (await stores[1]!.nflog.byGroups([G]))[0]!;
    await stores[0]!.nflog.upsertMany([[`${G}:wh/webhook/0`, { ...stored, timestamp: Date.now() + 1, firingAlerts: ['a', 'b'] }]]);
    // r2 sees firing [a, b] against its local [a]: 'new alerts added'; the store already has [a, b]
    expect(await flush(r2, ['a', 'b'])).toBeUndefined();
    expect(r2.log.query(G, R)?.firingAlerts).toEqual(['a', 'b']);
  });

  it('with the database unreachable the owner decides alone; its entries are written when it is back', async () => {
    const r1 = replica(stores[0]!, 'r1');
    await stores[0]!.leases.claim([G], 60_000);
    await r1.leases.tick();
    r1.health.failed(new Error('connection refused'));
    expect(await flush(r1, ['x'])).toBe('first notification');
    expect(await stores[0]!.nflog.byGroups([G])).toEqual([]);
    r1.health.ok();
    await new Promise((r) => setTimeout(r, 200));
    expect((await stores[0]!.nflog.byGroups([G])).map((e) => e.firingAlerts)).toEqual([['x']]);
  });

  it('an intent is stored before the send: the replica that takes the group over counts its alerts as told; a logged entry trims it', async () => {
    const r1 = replica(stores[0]!, 'r1');
    const r2 = replica(stores[1]!, 'r2', [G]);
    await stores[0]!.leases.claim([G], 60_000);
    await r1.leases.tick();
    expect(r1.leases.epochOf(G)).toBe(1);
    // r1 claims the notification of 'a', notes its intent, and dies before log()
    expect(await r1.log.claim(G, R, decide(['a']))).toMatchObject({ reason: 'first notification' });
    await r1.log.intend(G, R, ['a'], REPEAT);
    expect((await stores[1]!.nflog.intents(Date.now(), [G])).map((i) => i.firing)).toEqual([['a']]);
    // r1 is gone (its lease, its claim and its liveness run out); r2's heartbeat takes the group over and reads
    // its history: no entry, but 'a' may have been told
    await stores[0]!.pool.query('UPDATE group_leases SET expires_at = 0');
    await stores[0]!.pool.query('UPDATE flush_claims SET claimed_until = 0');
    await stores[0]!.pool.query("DELETE FROM replicas WHERE name = 'r1'");
    await r2.leases.tick();
    await new Promise((r) => setTimeout(r, 100)); // onAcquire reads the history
    expect(r2.leases.epochOf(G)).toBe(2);
    expect(r2.log.query(G, R)).toBeUndefined();
    expect(r2.log.intended(G, R)).toEqual(['a']);
    // r2 notifies 'b' (firing) and logs it: the stored intent keeps 'a', which that entry does not list
    expect(await r2.log.claim(G, R, decide(['b']))).toMatchObject({ reason: 'first notification' });
    await r2.log.intend(G, R, ['b'], REPEAT);
    await r2.log.log(R, G, ['b'], [], REPEAT);
    expect((await stores[1]!.nflog.intents(Date.now(), [G])).map((i) => i.firing)).toEqual([['a']]);
    // 'a' logged as resolved: nothing left, the row goes
    expect(await r2.log.claim(G, R, decide(['b'], ['a']))).toMatchObject({ reason: 'some alerts resolved' });
    await r2.log.log(R, G, ['b'], ['a'], REPEAT);
    expect(await stores[1]!.nflog.intents(Date.now(), [G])).toEqual([]);
    expect(r2.log.intended(G, R)).toBeUndefined();
  });

  it('with the database unreachable an intent is kept in memory only, and intend() does not wait for it', async () => {
    const r1 = replica(stores[0]!, 'r1');
    await stores[0]!.leases.claim([G], 60_000);
    await r1.leases.tick();
    r1.health.failed(new Error('connection refused'));
    await r1.log.intend(G, R, ['x'], REPEAT);
    expect(r1.log.intended(G, R)).toEqual(['x']);
    r1.health.ok();
    expect(await stores[0]!.nflog.intents(Date.now(), [G])).toEqual([]);
  });

  it('a claim made ahead of the first flush holds against other replicas, and the flush takes it without a round trip', async () => {
    const r1 = replica(stores[0]!, 'r1');
    const r2 = replica(stores[1]!, 'r2');
    await stores[0]!.leases.claim([G], 60_000);
    await r1.leases.tick();
    const claims = jest.spyOn(stores[0]!.flushClaims, 'claimMany'); // counts the round trips; the real call runs
    await r1.log.claimAhead(G, [R]);
    expect(claims).toHaveBeenCalledTimes(1);
    const { rows } = await stores[0]!.pool.query<{ owner: string; left: string }>('SELECT owner, claimed_until - tocsin_now_ms() AS left FROM flush_claims');
    expect(rows.map((r) => r.owner)).toEqual(['r1']);
    expect(Number(rows[0]!.left)).toBeGreaterThan(10_000); // claimTtl + up to a lead: a whole ttl left at the flush
    expect(Number(rows[0]!.left)).toBeLessThanOrEqual(10_000 + CLAIM_AHEAD_MAX_LEAD);
    // r2 takes the lease (r1's ran out) before r1's flush: r1's claim is still in force, so r2 does not send
    await stores[0]!.pool.query('UPDATE group_leases SET expires_at = 0');
    await stores[1]!.leases.claim([G], 60_000);
    await r2.leases.tick();
    expect(await r2.log.claim(G, R, decide(['a']))).toBeUndefined();
    expect(r2.log.busy(G)).toBe(true);
    // back to r1 (epoch 3): its claim ahead was made under epoch 1, so its flush claims again
    await stores[1]!.pool.query('UPDATE group_leases SET expires_at = 0');
    await stores[0]!.leases.claim([G], 60_000);
    await r1.leases.tick();
    expect(r1.leases.epochOf(G)).toBe(3);
    expect(await flush(r1, ['a'])).toBe('first notification');
    expect(claims).toHaveBeenCalledTimes(2);
  });

  it('the flush sends on the claim made ahead: one round trip to log it, none to claim it', async () => {
    const r1 = replica(stores[0]!, 'r1');
    await stores[0]!.leases.claim([G], 60_000);
    await r1.leases.tick();
    const claims = jest.spyOn(stores[0]!.flushClaims, 'claimMany');
    await r1.log.claimAhead(G, [R]);
    await r1.log.claimAhead(G, [R]); // claimed already: nothing asked
    expect(claims).toHaveBeenCalledTimes(1);
    expect(await flush(r1, ['a'])).toBe('first notification');
    expect(claims).toHaveBeenCalledTimes(1);
    // logged under that claim, which is freed
    expect((await stores[0]!.nflog.byGroups([G])).map((e) => e.firingAlerts)).toEqual([['a']]);
    expect((await stores[0]!.pool.query('SELECT owner FROM flush_claims')).rows).toEqual([{ owner: null }]);
    // the next flush claims as usual
    expect(await flush(r1, ['a', 'b'])).toBe('new alerts added');
    expect(claims).toHaveBeenCalledTimes(2);
  });

  it('a claim ahead is not taken when the stored entry moved on meanwhile, nor made for a group of another replica', async () => {
    const r1 = replica(stores[0]!, 'r1');
    const claims = jest.spyOn(stores[0]!.flushClaims, 'claimMany');
    await r1.leases.tick();
    await r1.log.claimAhead(G, [R]); // no lease held
    expect(claims).not.toHaveBeenCalled();
    await stores[0]!.leases.claim([G], 60_000);
    await r1.leases.tick();
    await r1.log.claimAhead(G, [R]);
    expect(claims).toHaveBeenCalledTimes(1);
    // an entry this replica reads meanwhile (version 1): the claim ahead was decided on none
    await stores[0]!.nflog.upsertMany([[`${G}:wh/webhook/0`, { groupKey: G, receiver: R, timestamp: Date.now(), firingAlerts: ['a'], resolvedAlerts: [], expiresAt: Date.now() + REPEAT }]]);
    r1.log.load(await stores[0]!.nflog.byGroups([G]));
    expect(await flush(r1, ['a'])).toBeUndefined(); // decided locally from the entry read: sent already
    expect(await flush(r1, ['a', 'b'])).toBe('new alerts added');
    expect(claims).toHaveBeenCalledTimes(2); // claimed again, against version 1
  });

  it('claimAheadLead: half the wait, at most 1 s; none for a flush due within 200 ms', () => {
    expect(claimAheadLead(0)).toBe(0);
    expect(claimAheadLead(199)).toBe(0);
    expect(claimAheadLead(200)).toBe(100);
    expect(claimAheadLead(1000)).toBe(500);
    expect(claimAheadLead(30_000)).toBe(CLAIM_AHEAD_MAX_LEAD);
  });

  it("another replica's claim in force ('busy'): the group is busy until a claim of this replica wins", async () => {
    const r2 = replica(stores[1]!, 'r2');
    await stores[1]!.leases.claim([G], 60_000);
    await r2.leases.tick();
    // r1 claimed the notification before it died (its claim holds for 10 s)
    await stores[0]!.pool.query("INSERT INTO flush_claims (key, owner, claimed_until) VALUES ($1, 'r1', tocsin_now_ms() + 10000)", [`${G}:wh/webhook/0`]);
    expect(r2.log.busy(G)).toBe(false);
    expect(await r2.log.claim(G, R, decide(['a']))).toBeUndefined();
    expect(r2.log.busy(G)).toBe(true);
    expect(r2.log.busy('{}:{g="other"}')).toBe(false);
    expect(r2.log.busy(G, Date.now() + 11_000)).toBe(false); // at most a claim ttl
    // the claim runs out: r2's next claim wins, and the group is no longer busy
    await stores[0]!.pool.query('UPDATE flush_claims SET claimed_until = 0');
    expect(await r2.log.claim(G, R, decide(['a']))).toMatchObject({ reason: 'first notification' });
    expect(r2.log.busy(G)).toBe(false);
  });
});
