/**
 * @module history/batch-writer
 * The write-behind recorder: events are buffered in memory and written in ONE transaction per batch, off
 * the hot path: a batch is committed `batchMs` after its first event (or on the next turn of the event loop when
 * someone awaits committed()). Live subscribers (the SSE stream) see events after their commit, in order.
 *
 * A burst (an alert storm: `burstAt` events within one batch; a new alert records one, see AlertCreated) is
 * written once it is over, not while it lasts: while events keep coming, the ingest they come from has the CPU
 * (issue 14: recording may cost at most 10 % of ingest throughput, and writing a new alert's history row costs
 * about as much CPU as ingesting it). The burst is committed when a batchMs passes without an event, after
 * `burstMs`, at `burstMax` events, or when someone awaits committed() (a notification before the nflog counts it
 * as sent), in transactions of maxBatch events with the event loop free between them. Its price: the burst's
 * events reach the store and the live subscribers up to burstMs later, and a kill -9 during the burst loses them
 * (never events a notification waited for).
 */
import type { Logger } from '../types/logger';
import { expandEvents } from './alert-events';
import type { HistoryEvent } from './event';
import type { HistorySink } from './sink';
import type { HistoryStorage } from './storage';

export interface BatchWriterOptions {
  storage: HistoryStorage;
  logger?: Logger;
  /** commit at most this long after an event was recorded (default 200 ms) */
  batchMs?: number;
  /** the most events one transaction holds (default 5000); without bursts, a batch this big is committed at once */
  maxBatch?: number;
  /** events held while the storage fails, beyond which the oldest are dropped (default 100000) */
  maxBuffered?: number;
  /** bytes of each notification's request body kept (default 0: none) */
  payloadBytes?: number;
  /**
   * a batch of this many events starts a burst (default 1000: 5000 events/s, when batchMs is 200). The first
   * batch of a storm may come at a cold server's pace: a lower mark than maxBatch keeps it out of the storm too.
   */
  burstAt?: number;
  /** the longest a burst's events wait (default 5000 ms; 0: no bursts, maxBatch events are committed at once) */
  burstMs?: number;
  /** the most events a burst holds (default 250000, about 40 MiB) */
  burstMax?: number;
}

// the real timers, also under test fake timers: a commit never waits for a fake clock
const defer: (fn: () => void) => unknown = setImmediate;
const later: typeof setTimeout = setTimeout;
const cancel: typeof clearTimeout = clearTimeout;
const monotonic: () => number = performance.now.bind(performance);

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

export class HistoryBatchWriter implements HistorySink {
  readonly #o: Required<Omit<BatchWriterOptions, 'logger'>> & { logger?: Logger };
  #buffer: HistoryEvent[] = [];
  #waiters: Waiter[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #immediate = false;
  /** the commit in progress (storage calls never overlap, so events keep their order) */
  #writing: Promise<void> = Promise.resolve();
  readonly #listeners = new Set<(events: readonly HistoryEvent[]) => void>();
  #dropped = 0;
  #closed = false;
  /** a burst is under way since this time (monotonic()), or not (undefined) */
  #burstSince: number | undefined;
  /** the buffer's length at the burst timer's last tick (it only grows during a burst): did events come since? */
  #seenLength = 0;
  /** events handed to the storage and not committed yet (as recorded: before expandEvents) */
  #writingCount = 0;

  constructor(o: BatchWriterOptions) {
    this.#o = { batchMs: 200, maxBatch: 5000, maxBuffered: 100_000, payloadBytes: 0, burstAt: 1000, burstMs: 5000, burstMax: 250_000, ...o };
  }

  get payloadBytes(): number {
    return this.#o.payloadBytes;
  }

  record(event: HistoryEvent): void {
    if (this.#closed) return;
    const n = this.#buffer.push(event);
    if (this.#o.burstMs > 0 && n >= this.#o.burstAt) {
      if (n >= this.#o.burstMax) this.#scheduleNow();
      else if (this.#burstSince === undefined && !this.#immediate) this.#startBurst();
    } else if (n >= this.#o.maxBatch) this.#scheduleNow();
    else if (this.#timer === undefined && !this.#immediate) {
      this.#timer = later(() => {
        this.#timer = undefined;
        void this.flush();
      }, this.#o.batchMs);
      this.#timer.unref?.();
    }
  }

  committed(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#waiters.push({ resolve, reject });
      this.#scheduleNow();
    });
  }

  /** events recorded from now on, delivered after their commit; returns the unsubscribe function */
  subscribe(listener: (events: readonly HistoryEvent[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** events dropped because the storage failed for too long */
  get dropped(): number {
    return this.#dropped;
  }

  /** events recorded and not committed yet (buffered, or being written; a new alert's created and grouped count as one) */
  get pending(): number {
    return this.#buffer.length + this.#writingCount;
  }

  /** Commits what is buffered now (after any commit in progress). */
  flush(): Promise<void> {
    if (this.#timer !== undefined) {
      cancel(this.#timer);
      this.#timer = undefined;
    }
    this.#immediate = false;
    this.#burstSince = undefined;
    const all = this.#buffer;
    const waiters = this.#waiters;
    this.#buffer = [];
    this.#waiters = [];
    const max = this.#o.maxBatch;
    this.#writingCount += all.length;
    const run = async (): Promise<void> => {
      for (let at = 0; at < all.length; at += max) {
        // a new alert's alert_created carries its alert_grouped (AlertCreated): both are stored and delivered
        const batch = expandEvents(all.length <= max ? all : all.slice(at, at + max));
        try {
          await this.#o.storage.append(batch);
        } catch (err) {
          this.#o.logger?.error({ err, events: all.length - at }, 'Writing history events failed; they are kept for the next batch');
          this.#writingCount -= all.length - at;
          this.#requeue(at === 0 ? all : all.slice(at));
          for (const w of waiters) w.reject(err);
          return;
        }
        this.#writingCount -= Math.min(max, all.length - at);
        for (const l of this.#listeners) {
          try {
            l(batch);
          } catch (err) {
            this.#o.logger?.error({ err }, 'history subscriber failed');
          }
        }
      }
      for (const w of waiters) w.resolve();
    };
    this.#writing = this.#writing.then(run);
    return this.#writing;
  }

  /** Commits what is buffered and records nothing more. */
  async close(): Promise<void> {
    await this.flush();
    this.#closed = true;
    this.#listeners.clear();
  }

  /**
   * A burst: burstAt events came within batchMs. Its events are committed once it is over (a tick of batchMs
   * without a new event), after burstMs, or at burstMax events (record()), whichever comes first. The tick
   * only compares the buffer's length: record() stays a push.
   */
  #startBurst(): void {
    if (this.#timer !== undefined) cancel(this.#timer);
    const since = monotonic();
    this.#burstSince = since;
    this.#seenLength = this.#buffer.length;
    const tick = (): void => {
      if (this.#burstSince !== since) return;
      if (this.#buffer.length === this.#seenLength || monotonic() - since >= this.#o.burstMs) {
        this.#timer = undefined;
        void this.flush().catch(() => undefined);
        return;
      }
      this.#seenLength = this.#buffer.length;
      this.#timer = later(tick, this.#o.batchMs);
      this.#timer.unref?.();
    };
    this.#timer = later(tick, this.#o.batchMs);
    this.#timer.unref?.();
  }

  #scheduleNow(): void {
    if (this.#immediate) return;
    this.#immediate = true;
    defer(() => void this.flush().catch(() => undefined));
  }

  #requeue(batch: HistoryEvent[]): void {
    const all = batch.concat(this.#buffer);
    const excess = all.length - this.#o.maxBuffered;
    if (excess > 0) {
      this.#dropped += excess;
      all.splice(0, excess);
    }
    this.#buffer = all;
    if (this.#timer === undefined && !this.#immediate && all.length > 0) {
      this.#timer = later(() => {
        this.#timer = undefined;
        void this.flush().catch(() => undefined);
      }, this.#o.batchMs);
      this.#timer.unref?.();
    }
  }
}
