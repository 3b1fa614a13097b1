/**
 * @module app/ha/group-leases
 * Which aggregation groups this replica flushes (docs/ha-design.md "Group ownership: leases"). Every replica
 * builds every group (it receives every alert) but only the lease owner sends. A heartbeat every
 * ttl/4 registers the replica (PgReplicas), renews its leases (a group missing from the answer was taken
 * over) and claims the groups of the current dispatcher that have no live owner:
 * - at once the groups this replica is the rendezvous choice for among the live replicas (highest
 *   md5(group key + replica name)), so groups spread evenly and replicas rarely race for one;
 * - any other group still without a live owner at the next heartbeat (its preferred replica did not take it).
 * A group due to flush before the next heartbeat is claimed on the spot by its preferred replica
 * (claimIfPreferred). Failover: a dead replica's leases run out after ttl; it has left the live list by then
 * (the liveness window is 2.5 heartbeats), so its groups are claimed at the next heartbeat of their new
 * preferred replica: within ttl + ttl/4 of its last renewal (12.5 s with the default 10 s).
 *
 * While PostgreSQL is unreachable the leases cannot be renewed: the replica keeps flushing the groups it held
 * (fail open; a possible duplicate beats a missed page) and re-claims them when the database is back.
 */
import crypto from 'node:crypto';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Lease } from '../../store/postgres/leases';
import type { PgStorage } from '../../store/postgres/pg-storage';
import type { Replica } from '../../store/postgres/replicas';
import type { Logger } from '../../types/logger';
import type { StorageHealth } from './storage-health';
import { TurnBatch } from './turn-batch';

export interface GroupLeasesOptions {
  storage: PgStorage;
  health: StorageHealth;
  logger: Logger;
  registry: Registry;
  /** this replica's name and the address its API listens on (cluster peers) */
  name: string;
  address: string;
  /** lease ttl, ms (--tocsin.ha.lease-duration) */
  ttl: number;
  /** the group keys of the current dispatcher */
  groupKeys: () => Iterable<string>;
  /** groups this replica just took (they may have been notified by another replica: refresh their history) */
  onAcquire?: (groupKeys: string[]) => Promise<void>;
}

// crypto.hash (Node >= 20.12): the same digest in one call, about 2.5 times faster than a Hash object
const md5Hex: (s: string) => string =
  typeof crypto.hash === 'function' ? (s) => crypto.hash('md5', s, 'hex') : (s) => crypto.createHash('md5').update(s).digest('hex');

function rank(groupKey: string, replica: string): string {
  return md5Hex(`${groupKey}\0${replica}`);
}

export class GroupLeases {
  readonly #o: GroupLeasesOptions;
  /** group key -> lease epoch, for the groups this replica owns */
  #mine = new Map<string, number>();
  /** groups just taken whose stored history is still being read (not flushed as owned until it is): the read */
  readonly #loading = new Map<string, Promise<boolean>>();
  #live: Replica[] = [];
  /**
   * group key -> its preferred replica among #live (preferred()): one MD5 per live replica is too dear to repeat
   * at every flush and heartbeat; forgotten when the live replicas change, and when it holds far more keys than
   * there are groups
   */
  #preferredOf = new Map<string, string>();
  /** groups seen without a live owner at the last heartbeat */
  #orphans = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> | undefined;
  #stopped = false;
  readonly #claims: TurnBatch<string, number | undefined>;
  /** claims under way (claimIfPreferred, prefetch): a second ask for the same group waits for the first */
  readonly #claiming = new Map<string, Promise<number | undefined>>();
  readonly #m: {
    owned: Gauge;
    renewed: Counter;
    takeovers: Counter;
    lost: Counter;
    members: Gauge;
    position: Gauge;
    failed: Gauge;
    health: Gauge;
    joined: Counter;
    left: Counter;
  };
  /** replicas seen live since start that are not live now (alertmanager_cluster_failed_peers) */
  readonly #failed = new Set<string>();
  /** live replica name -> consecutive heartbeats it was seen live (a joiner gets groups once it is stable) */
  readonly #seen = new Map<string, number>();

  constructor(o: GroupLeasesOptions) {
    this.#o = o;
    const reg = o.registry;
    const registers = [reg];
    this.#m = {
      owned: new Gauge({ name: 'tocsin_ha_groups_owned', help: 'Aggregation groups whose lease this replica holds (it alone flushes them).', registers }),
      renewed: new Counter({ name: 'tocsin_ha_leases_renewed_total', help: 'Group leases renewed by heartbeats.', registers }),
      takeovers: new Counter({ name: 'tocsin_ha_takeovers_total', help: 'Group leases taken over from another replica (epoch > 1).', registers }),
      lost: new Counter({ name: 'tocsin_ha_leases_lost_total', help: 'Group leases found taken over by another replica at a heartbeat.', registers }),
      // upstream's gossip metrics, with the values of the PostgreSQL cluster (the live replicas)
      members: new Gauge({ name: 'alertmanager_cluster_members', help: 'Number indicating current number of members in cluster.', registers }),
      position: new Gauge({ name: 'alertmanager_peer_position', help: "Position the Alertmanager instance believes it's in. The position determines a peer's behavior in the cluster.", registers }),
      failed: new Gauge({ name: 'alertmanager_cluster_failed_peers', help: 'Number indicating the current number of failed peers in the cluster.', registers }),
      health: new Gauge({ name: 'alertmanager_cluster_health_score', help: "Health score of the cluster. Lower values are better and zero means 'totally healthy'.", registers }),
      joined: new Counter({ name: 'alertmanager_cluster_peers_joined_total', help: 'A counter of the number of peers that have joined.', registers }),
      left: new Counter({ name: 'alertmanager_cluster_peers_left_total', help: 'A counter of the number of peers that have left.', registers }),
    };
    new Gauge({ name: 'alertmanager_cluster_peer_info', help: "A metric with a constant '1' value labeled by peer name.", labelNames: ['peer'], registers }).set({ peer: o.name }, 1);
    this.#claims = new TurnBatch(async (keys) => {
      const got = await this.#o.health.track(this.#o.storage.leases.claim(keys, this.#o.ttl));
      // the flush that asked decides from the group's history: wait until it is read (one query for the batch)
      const read = await this.#took(got);
      const byKey = new Map(got.map((l) => [l.groupKey, l.epoch]));
      return keys.map((k) => (read ? byKey.get(k) : undefined));
      // at most 2 statements under way: the claims asked for meanwhile go together in the next one
    }, { maxInFlight: 2 });
  }

  get heartbeatInterval(): number {
    return Math.max(50, Math.floor(this.#o.ttl / 4));
  }

  /** The replicas seen at the last heartbeat (this one included). */
  get live(): readonly Replica[] {
    return this.#live;
  }

  /** The lease epoch of a group this replica owns, else undefined. */
  epochOf(groupKey: string): number | undefined {
    return this.#loading.has(groupKey) ? undefined : this.#mine.get(groupKey);
  }

  get ownedCount(): number {
    return this.#mine.size;
  }

  /** The live replica that should own a group (rendezvous hashing over the live names). */
  preferred(groupKey: string): string {
    let p = this.#preferredOf.get(groupKey);
    if (p === undefined) {
      p = this.#rendezvous(groupKey);
      this.#preferredOf.set(groupKey, p);
    }
    return p;
  }

  #rendezvous(groupKey: string): string {
    let best = this.#o.name;
    let bestRank = rank(groupKey, best);
    for (const r of this.#live) {
      const x = rank(groupKey, r.name);
      if (x > bestRank) {
        best = r.name;
        bestRank = x;
      }
    }
    return best;
  }

  /**
   * A group due before the heartbeat got to it: its preferred replica claims it now (the claims of one turn
   * together). Resolves to the lease epoch once the group's stored history has been read (onAcquire, one
   * query for the groups claimed together), or undefined (not ours, or its history could not be read).
   */
  async claimIfPreferred(groupKey: string): Promise<number | undefined> {
    const mine = this.#mine.get(groupKey);
    const loading = this.#loading.get(groupKey);
    if (mine !== undefined && loading) return (await loading) ? this.#mine.get(groupKey) : undefined;
    if (mine !== undefined || !this.#o.health.up) return mine;
    if (this.preferred(groupKey) !== this.#o.name) return undefined;
    let claiming = this.#claiming.get(groupKey);
    if (!claiming) {
      claiming = this.#claims.add(groupKey).then(
        async (epoch) => {
          // taken by a heartbeat meanwhile, history still being read
          const read = this.#loading.get(groupKey);
          return epoch !== undefined && read && !(await read) ? undefined : epoch;
        },
        () => undefined,
      );
      const mine = claiming;
      this.#claiming.set(groupKey, mine);
      void mine.finally(() => {
        if (this.#claiming.get(groupKey) === mine) this.#claiming.delete(groupKey);
      });
    }
    return claiming;
  }

  /** A group was just created: claim it now if this replica is its preferred owner (see claimIfPreferred). */
  prefetch(groupKey: string): void {
    // before the first heartbeat the live replicas are unknown (every group would look preferred)
    if (this.#stopped || this.#live.length === 0 || this.#mine.has(groupKey) || !this.#o.health.up) return;
    if (this.preferred(groupKey) !== this.#o.name) return;
    void this.claimIfPreferred(groupKey);
  }

  /** The first heartbeat (awaited at start), then one every ttl/4. */
  async start(): Promise<void> {
    await this.tick();
    const loop = () => {
      if (this.#stopped) return;
      this.#timer = setTimeout(async () => {
        await this.tick();
        loop();
      }, this.heartbeatInterval);
    };
    loop();
  }

  /** One heartbeat (never rejects). */
  tick(): Promise<void> {
    this.#ticking ??= this.#heartbeat().finally(() => {
      this.#ticking = undefined;
    });
    return this.#ticking;
  }

  async #heartbeat(): Promise<void> {
    const { storage, health, ttl, name } = this.#o;
    try {
      await health.track(storage.replicas.heartbeat(this.#o.address));
      this.#observeMembers(await health.track(storage.replicas.live(Math.ceil(this.heartbeatInterval * 2.5))));
      const held = await health.track(storage.leases.renewAll(ttl));
      this.#m.renewed.inc(held.length);
      const next = new Map(held.map((l) => [l.groupKey, l.epoch]));
      let lost = 0;
      for (const k of this.#mine.keys()) if (!next.has(k)) lost++;
      if (lost > 0) {
        this.#m.lost.inc(lost);
        this.#o.logger.info({ groups: lost }, 'Group leases taken over by another replica');
      }
      this.#mine = next;
      const liveNames = new Set(this.#live.map((r) => r.name));
      const all = new Set(this.#o.groupKeys());
      if (this.#preferredOf.size > 2 * all.size + 1000) this.#preferredOf.clear(); // groups gone since
      const keys = [...all].filter((k) => !next.has(k));
      const orphans = new Set<string>();
      if (keys.length > 0) {
        const leases = await health.track(storage.leases.get(keys));
        const owner = new Map(leases.map((l) => [l.groupKey, l.owner]));
        const want: string[] = [];
        for (const k of keys) {
          const o = owner.get(k);
          if (o !== undefined && o !== name && liveNames.has(o)) continue;
          orphans.add(k);
          if (this.preferred(k) === name || this.#orphans.has(k)) want.push(k);
        }
        if (want.length > 0) void this.#took(await health.track(storage.leases.claim(want, ttl)));
      }
      this.#orphans = orphans;
      await this.#rebalance();
      this.#m.owned.set(this.#mine.size);
      this.#m.health.set(0);
    } catch (err) {
      // the database is the cluster's medium: unreachable = unhealthy
      this.#m.health.set(1);
      // fail open: keep flushing what we held (StorageHealth logged the outage once)
      if (health.up) this.#o.logger.warn({ err }, 'Lease heartbeat failed');
    }
  }

  /**
   * A replica that joined (e.g. the last one of a rolling restart) gets its share: once it has been live for 3
   * heartbeats, this replica hands over up to a tenth of its groups per heartbeat that prefer it (rendezvous),
   * while it holds more than its share; the joiner claims them at its next heartbeat (as their preferred
   * replica). A flush due in between waits for the next group_interval tick.
   */
  async #rebalance(): Promise<void> {
    const n = this.#live.length;
    if (n < 2 || !this.#live.some((r) => r.name === this.#o.name)) return;
    const share = Math.ceil([...new Set(this.#o.groupKeys())].length / n);
    let excess = this.#mine.size - share;
    if (excess <= 0) return;
    excess = Math.min(excess, Math.max(1, Math.ceil(this.#mine.size / 10)));
    const give: string[] = [];
    for (const k of this.#mine.keys()) {
      if (give.length >= excess) break;
      const p = this.preferred(k);
      if (p !== this.#o.name && (this.#seen.get(p) ?? 0) >= 3) give.push(k);
    }
    if (give.length === 0) return;
    await this.#o.health.track(this.#o.storage.leases.release(give));
    for (const k of give) this.#mine.delete(k);
    this.#m.owned.set(this.#mine.size);
    this.#o.logger.debug({ groups: give.length }, 'Handed groups over to the replicas they prefer');
  }

  #observeMembers(live: Replica[]): void {
    const before = new Set(this.#live.map((r) => r.name));
    const now = new Set(live.map((r) => r.name));
    for (const n of now) {
      if (!before.has(n) && n !== this.#o.name) this.#m.joined.inc();
      this.#failed.delete(n);
    }
    for (const n of before) {
      if (now.has(n)) continue;
      this.#m.left.inc();
      this.#failed.add(n);
      this.#o.logger.info({ replica: n }, 'Replica left the cluster (no heartbeat)');
    }
    if (now.size !== before.size || [...now].some((n) => !before.has(n))) this.#preferredOf.clear();
    for (const n of [...this.#seen.keys()]) if (!now.has(n)) this.#seen.delete(n);
    for (const n of now) this.#seen.set(n, (this.#seen.get(n) ?? 0) + 1);
    this.#live = live;
    this.#m.members.set(live.length);
    this.#m.failed.set(this.#failed.size);
    this.#m.position.set(Math.max(0, live.findIndex((r) => r.name === this.#o.name)));
  }

  /** Takes in leases won; resolves to false if reading the history of the fresh ones failed (never rejects). */
  #took(got: readonly Lease[]): Promise<boolean> {
    const fresh: string[] = [];
    for (const l of got) {
      const prev = this.#mine.get(l.groupKey);
      if (prev === l.epoch) continue;
      this.#mine.set(l.groupKey, l.epoch);
      fresh.push(l.groupKey);
      if (l.epoch > 1 && prev === undefined) this.#m.takeovers.inc();
    }
    this.#m.owned.set(this.#mine.size);
    if (fresh.length === 0 || !this.#o.onAcquire) return Promise.resolve(true);
    this.#o.logger.debug({ groups: fresh.length }, 'Took group leases');
    // a flush decided before the history is read would miss what the previous owner sent (e.g. a resolve)
    const read = this.#o
      .onAcquire(fresh)
      .then(
        () => true,
        (err: unknown) => {
          this.#o.logger.warn({ err }, 'Reading the history of taken groups failed');
          return false;
        },
      )
      .finally(() => {
        for (const k of fresh) if (this.#loading.get(k) === read) this.#loading.delete(k);
      });
    for (const k of fresh) this.#loading.set(k, read);
    return read;
  }

  /** Graceful stop: hands every group over at once and leaves the cluster. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#ticking;
    try {
      await this.#o.storage.leases.releaseAll();
      await this.#o.storage.replicas.leave();
    } catch {
      // the leases run out by themselves
    }
    this.#mine.clear();
  }
}
