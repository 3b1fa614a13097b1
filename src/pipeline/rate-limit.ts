/**
 * @module pipeline/rate-limit
 * Storm control (tocsin.yml `rate_limit: {max, window}` per receiver, issue 15). A RateLimiter admits at most
 * `max` notifications to its receiver in any `window` (a sliding window: the times of the last admitted ones);
 * a notification beyond that is folded into the receiver's pending digest. The digest goes out once, when the
 * window that was full ends (the oldest admitted notification leaves it), and at most one digest per window.
 * RateLimits keeps one limiter per receiver NAME for the process: a reload builds a new pipeline over the same
 * limiters (the count and the pending digest survive it; both are in memory, a restart starts them afresh).
 */
import type { HistorySink } from '../history/sink';
import { type Alert, isResolved, type LabelSet } from '../types/alert';
import type { Clock, TimerHandle } from '../types/clock';
import type { Logger } from '../types/logger';
import type { RateLimitSettings } from '../types/tocsin-config';
import type { GuardedMute, NotificationReason } from './types';

/** One group's notification, folded instead of sent. */
export interface FoldedGroup {
  groupKey: string;
  groupLabels: LabelSet;
  alerts: readonly Alert[];
  repeatInterval: number;
  reason: NotificationReason;
  /**
   * by integration (the receiver's integration order): the alert ids the nflog logs for it once the digest
   * reached it, or undefined when that integration needed no notification of the group
   */
  ids: readonly ({ firing: readonly string[]; resolved: readonly string[] } | undefined)[];
  /** resolved_after_mute: the muted resolved alerts let through, and why they were muted */
  guaranteed?: ReadonlyMap<string, GuardedMute>;
}

export interface PendingDigest {
  /** `<receiver>@<due time ms>`: names the digest in the history */
  readonly id: string;
  readonly dueAt: number;
  /** by group key, the latest fold of each group (in first-fold order) */
  readonly groups: Map<string, FoldedGroup>;
  logger: Logger;
  history?: HistorySink;
}

/** A digest that failed through some integration; `anyDelivered`: at least one integration took it. */
export class DigestFailedError extends Error {
  constructor(
    message: string,
    readonly anyDelivered: boolean,
    readonly errors: readonly unknown[],
  ) {
    super(message);
    this.name = 'DigestFailedError';
  }
}

/** Sends a due digest through the receiver's integrations (bound by each pipeline build; src/pipeline/digest.ts). */
export type DigestSender = (digest: PendingDigest) => Promise<void>;

/** What explain shows of a receiver's rate limit now. */
export interface RateLimitState {
  max: number;
  /** ms */
  window: number;
  /** notifications sent in the window ending now */
  sentInWindow: number;
  /** groups folded into the pending digest */
  folded: number;
  /** epoch ms the pending digest goes out, or undefined when none is pending */
  nextDigestAt?: number;
}

export class RateLimiter {
  settings: RateLimitSettings | undefined;
  /** bound by the current pipeline; undefined when the receiver is gone from the config */
  sender: DigestSender | undefined;
  /** times of the admitted notifications still in the window, oldest first */
  #sent: number[] = [];
  #pending: PendingDigest | undefined;
  /** the digest being sent: its groups are not notified on their own meanwhile (the nflog logs them after) */
  #sending: PendingDigest | undefined;
  #timer: TimerHandle | undefined;
  #lastDigestAt = Number.NEGATIVE_INFINITY;

  constructor(
    readonly receiver: string,
    readonly clock: Clock,
  ) {}

  #trim(now: number): void {
    const w = this.settings?.window ?? 0;
    let i = 0;
    while (i < this.#sent.length && this.#sent[i]! <= now - w) i++;
    if (i > 0) this.#sent.splice(0, i);
  }

  /** True (and counted) when one more notification fits in the window ending `now`. */
  admit(now: number): boolean {
    const s = this.settings;
    if (!s) return true;
    this.#trim(now);
    if (this.#sent.length >= s.max) return false;
    this.#sent.push(now);
    return true;
  }

  /** The pending digest, a new one (due when the window ends) if none is pending. */
  #pendingDigest(now: number, logger: Logger): PendingDigest {
    let d = this.#pending;
    if (!d) {
      const w = this.settings?.window ?? 0;
      this.#trim(now);
      const dueAt = Math.max(now, (this.#sent[0] ?? now) + w, this.#lastDigestAt + w);
      d = { id: `${this.receiver}@${dueAt}`, dueAt, groups: new Map(), logger };
      this.#pending = d;
      this.#timer = this.clock.setTimer(dueAt - now, () => void this.#flush());
    }
    return d;
  }

  /** Folds a group's notification into the pending digest (a new one if none is pending); returns it. */
  fold(now: number, g: FoldedGroup, logger: Logger, history?: HistorySink): PendingDigest {
    const d = this.#pendingDigest(now, logger);
    d.logger = logger;
    if (history) d.history = history;
    // a group flushing again before the digest is due: its latest alerts replace the earlier fold's, except the
    // resolved ones the group dropped after the folded flush (the digest is their only notification)
    const prev = d.groups.get(g.groupKey);
    d.groups.delete(g.groupKey);
    d.groups.set(g.groupKey, prev ? refold(prev, g, now) : g);
    return d;
  }

  async #flush(): Promise<void> {
    const d = this.#pending;
    this.#pending = undefined;
    this.#timer = undefined;
    if (!d) return;
    this.#lastDigestAt = this.clock.now();
    if (!this.sender) {
      d.history?.record({ time: this.clock.now(), kind: 'digest_sent', receiver: this.receiver, data: { digest: d.id, groups: [...d.groups.keys()], outcome: 'failure', error: 'the receiver is no longer configured' } });
      d.logger.warn({ receiver: this.receiver, digest: d.id, groups: d.groups.size }, 'Digest not sent: the receiver is no longer configured');
      return;
    }
    this.#sending = d;
    try {
      await this.sender(d);
    } catch (err) {
      d.logger.error({ receiver: this.receiver, digest: d.id, err: (err as Error)?.message ?? String(err) }, 'Digest notification failed');
      if (err instanceof DigestFailedError && !err.anyDelivered && this.settings) this.#requeue(d);
    } finally {
      this.#sending = undefined;
    }
  }

  /**
   * A digest no integration took goes into the next one (resolved alerts the groups dropped after their folded
   * flush have no other way to the receiver); a group folded again meanwhile keeps its newer alerts.
   */
  #requeue(failed: PendingDigest): void {
    const now = this.clock.now();
    const d = this.#pendingDigest(now, failed.logger);
    if (failed.history) d.history ??= failed.history;
    for (const g of failed.groups.values()) {
      const newer = d.groups.get(g.groupKey);
      d.groups.set(g.groupKey, newer ? refold(g, newer, now) : g);
      d.history?.record({ time: now, kind: 'notification_folded', receiver: this.receiver, groupKey: g.groupKey, data: { digest: d.id, digestAt: new Date(d.dueAt).toISOString(), reason: g.reason, alerts: g.alerts.length, retryOf: failed.id } });
    }
  }

  /** The id of the digest being sent that carries this group, if any. */
  sendingWith(groupKey: string): string | undefined {
    return this.#sending?.groups.has(groupKey) ? this.#sending.id : undefined;
  }

  state(now: number): RateLimitState | undefined {
    const s = this.settings;
    if (!s) return undefined;
    this.#trim(now);
    return {
      max: s.max,
      window: s.window,
      sentInWindow: this.#sent.length,
      folded: this.#pending?.groups.size ?? 0,
      ...(this.#pending ? { nextDigestAt: this.#pending.dueAt } : {}),
    };
  }

  /**
   * The process stops: the pending digest is not sent (the state is in memory); recorded, and its groups,
   * not in the notification log, notify again at their first flush after the start.
   */
  stop(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    const d = this.#pending;
    this.#pending = undefined;
    if (!d) return;
    const error = 'Tocsin stopped before the digest was due; its groups notify at their next flush';
    d.history?.record({ time: this.clock.now(), kind: 'digest_sent', receiver: this.receiver, data: { digest: d.id, groups: [...d.groups.keys()], outcome: 'failure', error } });
    d.logger.warn({ receiver: this.receiver, digest: d.id, groups: d.groups.size }, error);
  }

  get pending(): PendingDigest | undefined {
    return this.#pending;
  }
}

/** The limiters by receiver name, for the life of the process (shared by the pipelines of successive configs). */
export class RateLimits {
  readonly #by = new Map<string, RateLimiter>();
  constructor(readonly clock: Clock) {}

  /**
   * The limiter of `receiver` with these settings (created on first use, kept across reloads), or undefined
   * when the receiver has no rate limit (a limiter with a pending digest stays, to send it).
   */
  configure(receiver: string, settings: RateLimitSettings | undefined): RateLimiter | undefined {
    let l = this.#by.get(receiver);
    if (!settings) {
      if (l && !l.pending) this.#by.delete(receiver);
      else if (l) l.settings = undefined;
      return undefined;
    }
    if (!l) {
      l = new RateLimiter(receiver, this.clock);
      this.#by.set(receiver, l);
    }
    l.settings = settings;
    return l;
  }

  get(receiver: string): RateLimiter | undefined {
    return this.#by.get(receiver);
  }

  /** Unbinds the senders of receivers not in `names` (a reload removed them): their pending digest is recorded as not sent. */
  retain(names: ReadonlySet<string>): void {
    for (const [name, l] of this.#by) if (!names.has(name)) l.sender = undefined;
  }

  stop(): void {
    for (const l of this.#by.values()) l.stop();
  }
}

/** A group's new fold over its earlier one (see RateLimiter.fold). */
export function refold(prev: FoldedGroup, next: FoldedGroup, now: number): FoldedGroup {
  const present = new Set(next.alerts.map((a) => a.fingerprint));
  const kept = prev.alerts.filter((a) => !present.has(a.fingerprint) && isResolved(a, now));
  if (kept.length === 0) return next;
  const keptIds = new Set(kept.map((a) => a.fingerprint));
  const ids = next.ids.map((n, i) => {
    const p = prev.ids[i];
    const carried = p?.resolved.filter((fp) => keptIds.has(fp)) ?? [];
    if (!n) return carried.length > 0 ? p : undefined;
    return carried.length > 0 ? { firing: n.firing, resolved: [...n.resolved, ...carried] } : n;
  });
  const guaranteed = prev.guaranteed || next.guaranteed ? new Map([...(prev.guaranteed ?? []), ...(next.guaranteed ?? [])]) : undefined;
  return { ...next, alerts: [...next.alerts, ...kept], ids, ...(guaranteed ? { guaranteed } : {}) };
}
