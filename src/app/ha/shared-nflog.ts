/**
 * @module app/ha/shared-nflog
 * The notification log shared by replicas (docs/ha-design.md "Exactly one notification: flush claims"):
 * queries answer from this replica's in-memory Nflog; a notification the dedup stage wants to send is
 * first claimed in PostgreSQL (PgFlushClaims: this replica holds the group's lease with that epoch, no other
 * replica is sending it, and the stored entry is the one the decision used, else the decision is made again
 * from the stored entry); after the send, log() writes the entry and frees the claim in one statement.
 * Claims and commits of one event-loop turn share one round trip each.
 *
 * Fail open: while PostgreSQL is unreachable, a group this replica owned is notified without a claim and
 * its entries are queued, then written (newest timestamp wins) when the database is back.
 *
 * Intents (resolved_after_mute, NotificationLog.intend): stored in PostgreSQL before the send, trimmed after the
 * entry's commit, and read with the entries of a group this replica takes over, so that a notification in
 * flight when its replica was killed still counts as told on the replica that owns the group next.
 *
 * Claims ahead (claimAhead): a new group's first notifications are claimed shortly before its first flush is
 * due (HaRuntime.onFirstFlush), so that the flush sends without waiting for a round trip; the flush takes such a
 * claim only while it is the one its decision needs (same lease epoch, same stored version, a whole claim ttl
 * left), and claims as usual otherwise.
 */
import { entryKey, type Nflog } from '../../nflog/nflog';
import type { IntegrationRef, NflogEntry, NflogIntent, NflogLogArgs, NotificationLog } from '../../nflog/types';
import type { ClaimRequest, ClaimResult } from '../../store/postgres/flush-claims';
import type { PgStorage } from '../../store/postgres/pg-storage';
import type { VersionedNflogEntry } from '../../store/storage';
import type { Logger } from '../../types/logger';
import type { GroupLeases } from './group-leases';
import type { StorageHealth } from './storage-health';
import { TurnBatch } from './turn-batch';

/** The longest lead of a claim ahead, ms: such a claim lasts claimTtl plus this. */
export const CLAIM_AHEAD_MAX_LEAD = 1000;
const CLAIM_AHEAD_MIN_LEAD = 100;

/**
 * How long before a first flush due in `delay` ms its notifications are claimed (0: not ahead): half the wait,
 * at most CLAIM_AHEAD_MAX_LEAD (the claims of a burst of new groups take tens of ms), not for a flush due in
 * less than twice CLAIM_AHEAD_MIN_LEAD.
 */
export function claimAheadLead(delay: number): number {
  return delay >= 2 * CLAIM_AHEAD_MIN_LEAD ? Math.min(CLAIM_AHEAD_MAX_LEAD, Math.floor(delay / 2)) : 0;
}

export interface SharedNflogOptions {
  nflog: Nflog;
  storage: PgStorage;
  leases: () => GroupLeases | undefined;
  health: StorageHealth;
  logger: Logger;
  /** how long a claim holds a notification against other replicas, ms (the flush deadline, at least 10 s) */
  claimTtl: number;
}

export class SharedNotificationLog implements NotificationLog {
  readonly #o: SharedNflogOptions;
  /** entry key -> stored version this replica last saw, and when the entry expires (pruned after) */
  readonly #versions = new Map<string, { version: number; expiresAt: number }>();
  /** keys claimed and not committed yet -> when the claim runs out (a failed send leaves one behind) */
  readonly #claimed = new Map<string, number>();
  /** entries logged while the database was unreachable, written when it is back */
  #queued = new Map<string, NflogEntry>();
  /**
   * group key -> its keys whose last claim found another replica's claim in force ('busy'), and until when that
   * claim can hold: the group keeps its resolved alerts meanwhile (busy()), so that a notification left to that
   * replica, which may be dead, is still sent once its claim runs out
   */
  readonly #busy = new Map<string, Map<string, number>>();
  /** claims made ahead of a first flush (claimAhead), not taken by it yet: the epoch and stored version they hold for */
  readonly #ahead = new Map<string, { epoch: number; version: number; until: number }>();
  readonly #claimBatch: TurnBatch<Omit<ClaimRequest, 'ttl'>, ClaimResult & { key: string }>;
  readonly #aheadBatch: TurnBatch<Omit<ClaimRequest, 'ttl'>, ClaimResult & { key: string }>;
  readonly #commitBatch: TurnBatch<readonly [string, NflogEntry], number | undefined>;

  constructor(o: SharedNflogOptions) {
    this.#o = o;
    // at most 2 statements of each under way: what is asked meanwhile goes together in the next one
    const claims = (ttl: number) => new TurnBatch((reqs: Omit<ClaimRequest, 'ttl'>[]) => o.health.track(o.storage.flushClaims.claimMany(reqs, ttl)), { maxInFlight: 2 });
    this.#claimBatch = claims(o.claimTtl);
    this.#aheadBatch = claims(o.claimTtl + CLAIM_AHEAD_MAX_LEAD);
    this.#commitBatch = new TurnBatch(
      async (entries) => {
        const versions = await o.health.track(o.storage.flushClaims.commitMany(entries));
        return entries.map(([k]) => versions.get(k));
      },
      { maxInFlight: 2 },
    );
    o.health.onRecover(() => void this.#writeQueued());
  }

  /** Takes in stored entries (at start, and the history of groups this replica takes over). */
  load(entries: readonly VersionedNflogEntry[]): void {
    for (const e of entries) {
      const { version, ...entry } = e;
      this.#o.nflog.apply(entry);
      this.#versions.set(entryKey(e.groupKey, e.receiver), { version, expiresAt: e.expiresAt });
    }
  }

  /** Takes in stored intents (at start, and those of groups this replica takes over). */
  loadIntents(intents: readonly NflogIntent[]): void {
    for (const i of intents) this.#o.nflog.applyIntent(i);
  }

  query(groupKey: string, receiver: IntegrationRef): NflogEntry | undefined {
    return this.#o.nflog.query(groupKey, receiver);
  }

  /**
   * Notes the alerts a notification about to be sent has firing (in memory, then in PostgreSQL: resolves once
   * stored). Fail open: while the database is unreachable, or if the write fails, the notification is sent
   * with the intent in memory only (as before intents were stored).
   */
  async intend(groupKey: string, receiver: IntegrationRef, firing: readonly string[], repeatInterval: number): Promise<void> {
    const key = entryKey(groupKey, receiver);
    const before = this.#o.nflog.intentOf(key);
    this.#o.nflog.intend(groupKey, receiver, firing, repeatInterval);
    const after = this.#o.nflog.intentOf(key);
    if (!after || after === before || !this.#o.health.up) return;
    try {
      await this.#o.health.track(this.#o.storage.nflog.putIntent(key, after));
    } catch (err) {
      this.#o.logger.warn({ err, aggrGroup: groupKey }, 'Storing a notification intent failed; sending without it');
    }
  }

  intended(groupKey: string, receiver: IntegrationRef): readonly string[] | undefined {
    return this.#o.nflog.intended(groupKey, receiver);
  }

  async claim(
    groupKey: string,
    receiver: IntegrationRef,
    decide: (entry: NflogEntry | undefined) => string | undefined,
  ): Promise<{ entry: NflogEntry | undefined; reason: string } | undefined> {
    const { health } = this.#o;
    const leases = this.#o.leases();
    if (!leases) return undefined;
    const key = entryKey(groupKey, receiver);
    let epoch = leases.epochOf(groupKey);
    if (!health.up) return epoch === undefined ? undefined : this.#decideLocally(groupKey, receiver, decide);
    try {
      if (epoch === undefined) {
        // resolves once the group's stored history is read (with the other groups claimed in this turn)
        epoch = await leases.claimIfPreferred(groupKey);
        if (epoch === undefined) return undefined; // another replica's group
        // just taken: decide from the group's stored history
        if (!decide(this.query(groupKey, receiver))) return undefined;
      }
      const ahead = this.#takeAhead(key, epoch);
      if (ahead !== undefined) return this.#won(groupKey, receiver, key, ahead, decide);
      // a stale decision is made again from the stored entry, once (a second 'stale' means a race: skip)
      for (let attempt = 0; attempt < 2; attempt++) {
        const r = await this.#claimBatch.add({ key, groupKey, epoch, expectedVersion: this.#storedVersion(key) });
        if (r.outcome === 'won') return this.#won(groupKey, receiver, key, Date.now() + this.#o.claimTtl, decide);
        if (r.outcome === 'busy') {
          // another replica sends it, or sent it and died before logging: decided again at the next flush
          let keys = this.#busy.get(groupKey);
          if (!keys) this.#busy.set(groupKey, (keys = new Map()));
          keys.set(key, Date.now() + this.#o.claimTtl);
          return undefined;
        }
        if (r.outcome !== 'stale') return undefined; // 'lease': taken over
        this.load(await health.track(this.#o.storage.nflog.byGroups([groupKey])));
        if (!decide(this.query(groupKey, receiver))) return undefined;
      }
      return undefined;
    } catch (err) {
      if (health.up) {
        this.#o.logger.warn({ err, aggrGroup: groupKey }, 'Claiming a notification failed');
        return undefined;
      }
      return this.#decideLocally(groupKey, receiver, decide);
    }
  }

  /**
   * Claims the notifications of a group whose first flush is due shortly (HaRuntime.onFirstFlush), so that the
   * flush takes them without a round trip (claim()). Only for a group this replica holds the lease of, while
   * PostgreSQL is up; a key claimed already is left alone. A claim no flush takes (its alerts were silenced
   * meanwhile, say) runs out like any other, claimTtl + CLAIM_AHEAD_MAX_LEAD after it was made. Never rejects.
   */
  async claimAhead(groupKey: string, refs: readonly IntegrationRef[]): Promise<void> {
    const epoch = this.#o.leases()?.epochOf(groupKey);
    if (epoch === undefined || !this.#o.health.up) return;
    const until = Date.now() + this.#o.claimTtl + CLAIM_AHEAD_MAX_LEAD; // PostgreSQL counts from later
    await Promise.all(
      refs.map(async (ref) => {
        const key = entryKey(groupKey, ref);
        if (this.#claimed.has(key) || this.#ahead.has(key)) return;
        const version = this.#storedVersion(key);
        try {
          const r = await this.#aheadBatch.add({ key, groupKey, epoch, expectedVersion: version });
          if (r.outcome === 'won') this.#ahead.set(key, { epoch, version, until });
        } catch (err) {
          this.#o.logger.debug({ err, aggrGroup: groupKey }, 'Claiming a notification ahead of its flush failed');
        }
      }),
    );
  }

  /**
   * The claim made ahead for `key` (forgotten here either way), if the flush can take it: the same lease epoch,
   * no entry stored since (only the holder of the claim could have logged one), and a whole claim ttl left for
   * the send. Returns until when it holds.
   */
  #takeAhead(key: string, epoch: number): number | undefined {
    const a = this.#ahead.get(key);
    if (!a) return undefined;
    this.#ahead.delete(key);
    if (a.epoch !== epoch || a.version !== this.#storedVersion(key) || a.until - Date.now() < this.#o.claimTtl) return undefined;
    return a.until;
  }

  /** The version of the stored entry this replica last saw for `key` (0: none). */
  #storedVersion(key: string): number {
    return this.#versions.get(key)?.version ?? 0;
  }

  /** The claim of `key` is ours until `until`: decide from the entry this replica holds. */
  #won(groupKey: string, receiver: IntegrationRef, key: string, until: number, decide: (e: NflogEntry | undefined) => string | undefined) {
    this.#claimed.set(key, until);
    this.#notBusy(groupKey, key);
    return this.#decideLocally(groupKey, receiver, decide);
  }

  /**
   * A notification of this group is claimed by another replica (its last claim here was 'busy', at most a claim
   * ttl ago): the group must keep its resolved alerts, their notification is still to be decided.
   */
  busy(groupKey: string, now = Date.now()): boolean {
    const keys = this.#busy.get(groupKey);
    if (!keys) return false;
    for (const until of keys.values()) if (until > now) return true;
    return false;
  }

  #notBusy(groupKey: string, key: string): void {
    const keys = this.#busy.get(groupKey);
    if (!keys?.delete(key)) return;
    if (keys.size === 0) this.#busy.delete(groupKey);
  }

  #decideLocally(groupKey: string, receiver: IntegrationRef, decide: (e: NflogEntry | undefined) => string | undefined) {
    const entry = this.query(groupKey, receiver);
    const reason = decide(entry);
    return reason ? { entry, reason } : undefined;
  }

  async log(...args: NflogLogArgs): Promise<void> {
    const [receiver, groupKey] = args;
    const key = entryKey(groupKey, receiver);
    // an intent held in memory is one written through or read from the store (log() trims the memory's copy)
    const hadIntent = this.#o.nflog.intentOf(key) !== undefined;
    await this.#o.nflog.log(...args);
    const entry = this.#o.nflog.query(groupKey, receiver);
    if (!entry) return;
    const claimed = this.#claimed.delete(key);
    if (!claimed || !this.#o.health.up) {
      this.#queued.set(key, entry);
      return;
    }
    try {
      const version = await this.#commitBatch.add([key, entry]);
      if (version === undefined) this.#o.logger.warn({ aggrGroup: groupKey, key }, 'Notification sent but its claim was taken over before it was logged');
      else {
        this.#versions.set(key, { version, expiresAt: entry.expiresAt });
        if (hadIntent) await this.#settleIntent(key, entry);
      }
    } catch {
      // sent, not logged: write it when the database is back (fail open)
      this.#queued.set(key, entry);
    }
  }

  /**
   * After the entry's commit: the stored intent keeps only the alerts the entry does not list. A failed trim
   * leaves a longer intent, which only adds to the union: logged, not thrown.
   */
  async #settleIntent(key: string, entry: NflogEntry): Promise<void> {
    try {
      await this.#o.health.track(this.#o.storage.nflog.settleIntent(key, [...entry.firingAlerts, ...entry.resolvedAlerts]));
    } catch (err) {
      this.#o.logger.warn({ err, key }, 'Trimming a stored notification intent failed');
    }
  }

  /** Forgets versions of expired entries and claims that ran out (from the store's maintenance). */
  prune(now: number): void {
    for (const [k, v] of this.#versions) if (v.expiresAt <= now) this.#versions.delete(k);
    for (const [k, until] of this.#claimed) if (until <= now) this.#claimed.delete(k);
    for (const [k, a] of this.#ahead) if (a.until <= now) this.#ahead.delete(k);
    for (const [g, keys] of this.#busy) {
      for (const [k, until] of keys) if (until <= now) keys.delete(k);
      if (keys.size === 0) this.#busy.delete(g);
    }
  }

  async #writeQueued(): Promise<void> {
    const q = this.#queued;
    if (q.size === 0) return;
    this.#queued = new Map();
    try {
      await this.#o.storage.nflog.upsertMany(q);
      this.#o.logger.info({ entries: q.size }, 'Wrote the notification log entries queued while PostgreSQL was unreachable');
    } catch (err) {
      for (const [k, e] of q) if (!this.#queued.has(k)) this.#queued.set(k, e);
      this.#o.logger.warn({ err }, 'Writing queued notification log entries failed');
    }
  }
}
