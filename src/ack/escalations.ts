/**
 * @module ack/escalations
 * Escalation state per group on a receiver (issue 16): it starts at the group's first firing notification to the
 * receiver; each step whose `after` has passed since then is reached (its receiver also gets the group's
 * notifications) unless the group was acknowledged first; an ack stops it (no further step), resolving ends it.
 * Held in memory and written through the EscalationStorage, so a restart continues where it was.
 */
import type { HistorySink } from '../history/sink';
import type { Clock } from '../types/clock';
import type { Logger } from '../types/logger';
import type { EscalationStep } from '../types/tocsin-config';
import { type EscalationState, type EscalationStorage, groupReceiverKey } from './types';

export interface EscalationsOptions {
  storage: EscalationStorage;
  clock: Clock;
  logger: Logger;
  history?: HistorySink;
}

/** What one flush of the group on the receiver found. */
export interface FlushFacts {
  now: number;
  /** the flush holds a firing alert */
  firing: boolean;
  /** the receiver has been notified of firing alerts of this group (its notification log says so) */
  notified: boolean;
  /** the id of the ack applying to the group on the receiver, if any */
  ackID?: string;
}

export interface Advance {
  /** how many steps are reached: their receivers get this flush too */
  reached: number;
  /** when the next step is due (no further step: undefined) */
  nextAt?: number;
}

export class Escalations {
  readonly #o: EscalationsOptions;
  readonly #states = new Map<string, EscalationState>();

  constructor(o: EscalationsOptions) {
    this.#o = o;
  }

  async load(): Promise<void> {
    for (const s of await this.#o.storage.loadAll()) this.#states.set(groupReceiverKey(s.groupKey, s.receiver), s);
  }

  get(groupKey: string, receiver: string): EscalationState | undefined {
    return this.#states.get(groupReceiverKey(groupKey, receiver));
  }

  /** Every escalation under way or stopped by an ack (for the UI and explain). */
  all(): IterableIterator<EscalationState> {
    return this.#states.values();
  }

  /** Called after each flush of a group on a receiver that has escalation steps. */
  async advance(groupKey: string, receiver: string, steps: readonly EscalationStep[], f: FlushFacts): Promise<Advance> {
    const key = groupReceiverKey(groupKey, receiver);
    let s = this.#states.get(key);
    if (!f.firing) {
      // resolved: the reached steps get the resolved notification, then it ends
      if (s) {
        this.#states.delete(key);
        await this.#o.storage.delete(groupKey, receiver);
        if (s.stoppedAt === undefined) this.#record(f.now, 'escalation_stopped', s, { reason: 'resolved' });
      }
      return { reached: s?.steps ?? 0 };
    }
    if (!s && f.notified && steps.length > 0) {
      // another replica sharing the storage may have started it (it owned the group then)
      s = await this.#o.storage.get(groupKey, receiver);
      if (s) this.#states.set(key, s);
    }
    if (!s) {
      // acknowledged before its first notification: nothing to escalate (it starts when the ack ends)
      if (!f.notified || steps.length === 0 || f.ackID !== undefined) return { reached: 0 };
      s = { groupKey, receiver, startedAt: f.now, steps: 0 };
      this.#states.set(key, s);
      await this.#o.storage.put(s);
      this.#record(f.now, 'escalation_started', s, {});
    }
    if (s.stoppedAt !== undefined) return { reached: s.steps };
    if (f.ackID !== undefined) {
      s = { ...s, stoppedAt: f.now, stopReason: 'acknowledged' };
      this.#states.set(key, s);
      await this.#o.storage.put(s);
      this.#record(f.now, 'escalation_stopped', s, { reason: 'acknowledged', ackID: f.ackID });
      return { reached: s.steps };
    }
    let n = 0;
    while (n < steps.length && s.startedAt + steps[n]!.after <= f.now) n++;
    if (n > s.steps) {
      const from = s.steps;
      s = { ...s, steps: n };
      this.#states.set(key, s);
      await this.#o.storage.put(s);
      for (let i = from; i < n; i++) this.#record(f.now, 'escalation_step', s, { step: i + 1, to: steps[i]!.receiver, after: steps[i]!.after });
    }
    const next = steps[Math.max(n, s.steps)];
    return { reached: Math.max(n, s.steps), ...(next ? { nextAt: s.startedAt + next.after } : {}) };
  }

  /** An ack of the group on the receiver was made: no further step (also noticed at the group's next flush). */
  async acknowledged(groupKey: string, receiver: string, ackID: string, now: number): Promise<void> {
    const key = groupReceiverKey(groupKey, receiver);
    const s = this.#states.get(key);
    if (!s || s.stoppedAt !== undefined) return;
    const stopped: EscalationState = { ...s, stoppedAt: now, stopReason: 'acknowledged' };
    this.#states.set(key, stopped);
    await this.#o.storage.put(stopped);
    this.#record(now, 'escalation_stopped', stopped, { reason: 'acknowledged', ackID });
  }

  #record(time: number, kind: 'escalation_started' | 'escalation_step' | 'escalation_stopped', s: EscalationState, data: Record<string, unknown>): void {
    this.#o.history?.record({ time, kind, groupKey: s.groupKey, receiver: s.receiver, data: { startedAt: s.startedAt, ...data } });
  }
}
