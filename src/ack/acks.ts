/**
 * @module ack/acks
 * The acknowledgements (issue 16): a person acknowledges a group on a receiver; while the ack applies, a flush
 * whose alerts are the acknowledged ones and whose only reason to notify is the repeat interval sends nothing
 * (the dedup stage asks `suppressRepeat`). A new alert, a changed one (annotations, firing <-> resolved) or the
 * ack's `endsAt` ends it; resolved notifications still go out. Held in memory, written through the AckStorage
 * before a create or delete returns, so the audit of who acknowledged what survives kill -9.
 */
import { randomUUID } from 'node:crypto';
import type { HistorySink } from '../history/sink';
import type { Alert } from '../types/alert';
import type { Clock, TimerHandle } from '../types/clock';
import type { Logger } from '../types/logger';
import { ackedAlert, sameAlerts } from './alert-state';
import { type Ack, type AckEndReason, type AckStorage, groupReceiverKey } from './types';

export interface AcksOptions {
  storage: AckStorage;
  clock: Clock;
  logger: Logger;
  history?: HistorySink;
  /** ended acks are kept this long for the audit (default 30 days) */
  retention?: number;
}

export interface AckInput {
  groupKey: string;
  receiver: string;
  createdBy: string;
  comment: string;
  endsAt?: number;
}

export interface AckFilter {
  groupKey?: string;
  receiver?: string;
  /** only acks that apply now (default); false = every kept ack, ended ones too */
  active?: boolean;
}

const DEFAULT_RETENTION = 30 * 24 * 3600_000;

export class Acks {
  readonly #o: AcksOptions;
  readonly #all = new Map<string, Ack>();
  /** group on receiver -> the ack applying to it */
  readonly #active = new Map<string, Ack>();
  #timer: TimerHandle | undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  #stopped = false;
  readonly #loops = new Set<TimerHandle>();

  constructor(o: AcksOptions) {
    this.#o = o;
  }

  /** Reads the stored acks (call once, before the dispatcher starts); ends the ones expired meanwhile. */
  async load(): Promise<void> {
    for (const a of await this.#o.storage.loadAll()) this.#remember(a);
    await this.#expire(this.#o.clock.now());
  }

  /** Reads the stored acks again (replicas sharing PostgreSQL see each other's acks). */
  async refresh(): Promise<void> {
    const stored = await this.#o.storage.loadAll();
    for (const a of stored) {
      const cur = this.#all.get(a.id);
      if (cur && cur.endedAt !== undefined) continue;
      if (cur && a.endedAt === undefined) continue;
      this.#remember(a);
    }
    this.#arm();
  }

  #remember(a: Ack): void {
    this.#all.set(a.id, a);
    const key = groupReceiverKey(a.groupKey, a.receiver);
    if (a.endedAt === undefined) {
      const cur = this.#active.get(key);
      if (!cur || cur.createdAt <= a.createdAt) this.#active.set(key, a);
    } else if (this.#active.get(key)?.id === a.id) this.#active.delete(key);
  }

  /**
   * Acknowledges the group as its `alerts` are now. An ack applying to the same group on the same receiver is
   * superseded. Resolves once stored.
   */
  async create(input: AckInput, alerts: Iterable<Alert>, user?: string): Promise<Ack> {
    const now = this.#o.clock.now();
    const ack: Ack = {
      id: randomUUID(),
      groupKey: input.groupKey,
      receiver: input.receiver,
      createdBy: input.createdBy,
      comment: input.comment,
      createdAt: now,
      ...(input.endsAt !== undefined ? { endsAt: input.endsAt } : {}),
      alerts: [...alerts].map((a) => ackedAlert(a, now)),
    };
    const prev = this.#active.get(groupReceiverKey(ack.groupKey, ack.receiver));
    if (prev) await this.#end(prev, 'superseded', now);
    await this.#o.storage.put(ack);
    this.#remember(ack);
    this.#o.history?.record({
      time: now,
      kind: 'ack_created',
      groupKey: ack.groupKey,
      receiver: ack.receiver,
      data: { ackID: ack.id, createdBy: ack.createdBy, comment: ack.comment, ...(ack.endsAt !== undefined ? { endsAt: ack.endsAt } : {}), alerts: ack.alerts.length, ...(user ? { user } : {}) },
    });
    this.#arm();
    return ack;
  }

  /** Ends the ack now (kept for the audit). Undefined when no such ack is kept; an ended ack is returned as it is. */
  async delete(id: string, user?: string): Promise<Ack | undefined> {
    const ack = this.#all.get(id);
    if (!ack || ack.endedAt !== undefined) return ack;
    return this.#end(ack, 'deleted', this.#o.clock.now(), user);
  }

  get(id: string): Ack | undefined {
    return this.#all.get(id);
  }

  /** Kept acks, newest first. */
  list(f: AckFilter = {}): Ack[] {
    const now = this.#o.clock.now();
    const from = f.active === false ? this.#all.values() : this.#active.values();
    const out: Ack[] = [];
    for (const a of from) {
      if (f.groupKey !== undefined && a.groupKey !== f.groupKey) continue;
      if (f.receiver !== undefined && a.receiver !== f.receiver) continue;
      if (f.active !== false && !applies(a, now)) continue;
      out.push(a);
    }
    return out.sort((x, y) => y.createdAt - x.createdAt || (x.id < y.id ? -1 : 1));
  }

  /** The ack applying to this group on this receiver now. */
  activeFor(groupKey: string, receiver: string, now = this.#o.clock.now()): Ack | undefined {
    const a = this.#active.get(groupReceiverKey(groupKey, receiver));
    return a && applies(a, now) ? a : undefined;
  }

  /**
   * The dedup stage's question: the id of the ack that suppresses this notification, or undefined to send it.
   * Only a repeat is suppressed; a flush whose alerts differ from the acknowledged ones ends the ack.
   */
  suppressRepeat(groupKey: string, receiver: string, alerts: readonly Alert[], now: number, reason: string): string | undefined {
    const a = this.activeFor(groupKey, receiver, now);
    if (!a) return undefined;
    if (!sameAlerts(a.alerts, alerts, now)) {
      this.#end(a, 'alerts changed', now).catch((e: unknown) => this.#o.logger.error({ err: e, ackID: a.id }, 'Failed to store the end of an ack'));
      return undefined;
    }
    return reason === 'repeat interval elapsed' ? a.id : undefined;
  }

  /** Ends the acks whose endsAt passed, and drops ended acks older than the retention. */
  async maintenance(now = this.#o.clock.now()): Promise<void> {
    await this.#expire(now);
    const before = now - (this.#o.retention ?? DEFAULT_RETENTION);
    for (const a of this.#all.values()) if (a.endedAt !== undefined && a.endedAt < before) this.#all.delete(a.id);
    await this.#o.storage.deleteEndedBefore(before);
  }

  /** Trims the audit every `interval`; with `refreshEvery`, reads the stored acks that often (shared storage). */
  startMaintenance(interval: number, refreshEvery?: number): void {
    const loop = (every: number, run: () => Promise<void>, what: string) => {
      if (this.#stopped) return;
      const t = this.#o.clock.setTimer(every, () => {
        this.#loops.delete(t);
        run()
          .catch((e: unknown) => this.#o.logger.error({ err: e }, what))
          .finally(() => loop(every, run, what));
      });
      this.#loops.add(t);
    };
    loop(interval, () => this.maintenance(), 'Ack maintenance failed');
    if (refreshEvery !== undefined) loop(refreshEvery, () => this.refresh(), 'Reading the stored acks failed');
  }

  stop(): void {
    this.#stopped = true;
    this.#timer?.cancel();
    this.#timer = undefined;
    for (const t of this.#loops) t.cancel();
    this.#loops.clear();
  }

  async #expire(now: number): Promise<void> {
    for (const a of [...this.#active.values()]) if (a.endsAt !== undefined && a.endsAt <= now) await this.#end(a, 'expired', a.endsAt);
    this.#arm();
  }

  async #end(a: Ack, reason: AckEndReason, time: number, user?: string): Promise<Ack> {
    if (a.endedAt !== undefined) return a;
    const ended: Ack = { ...a, endedAt: time, endReason: reason, ...(user ? { endedBy: user } : {}) };
    // memory first: a second flush meanwhile must not end it again
    this.#remember(ended);
    await this.#o.storage.put(ended);
    this.#o.history?.record({
      time,
      kind: reason === 'deleted' ? 'ack_deleted' : 'ack_expired',
      groupKey: a.groupKey,
      receiver: a.receiver,
      data: { ackID: a.id, createdBy: a.createdBy, reason, ...(user ? { user } : {}) },
    });
    return ended;
  }

  /** a timer at the earliest endsAt of the applying acks, so their expiry is recorded when it happens */
  #arm(): void {
    if (this.#stopped) return;
    let next = Number.POSITIVE_INFINITY;
    for (const a of this.#active.values()) if (a.endsAt !== undefined && a.endsAt < next) next = a.endsAt;
    if (next === this.#timerAt) return;
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#timerAt = next;
    if (next === Number.POSITIVE_INFINITY) return;
    this.#timer = this.#o.clock.setTimer(next - this.#o.clock.now(), () => {
      this.#timerAt = Number.POSITIVE_INFINITY;
      this.#expire(this.#o.clock.now()).catch((e: unknown) => this.#o.logger.error({ err: e }, 'Failed to expire acks'));
    });
  }
}

/** An ack applies from its creation until its end or its endsAt. */
export function applies(a: Ack, now: number): boolean {
  return a.endedAt === undefined && (a.endsAt === undefined || a.endsAt > now);
}
