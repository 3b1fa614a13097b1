/**
 * @module history/batch-writer
 * The write-behind recorder: events are buffered in memory and written in ONE transaction per batch, off
 * the hot path: a batch is committed `batchMs` after its first event (or at once when `maxBatch` events are
 * waiting, or on the next turn of the event loop when someone awaits committed()). Live subscribers (the
 * SSE stream) see events after their commit, in order.
 */
import type { Logger } from '../types/logger';
import type { HistoryEvent } from './event';
import type { HistorySink } from './sink';
import type { HistoryStorage } from './storage';

export interface BatchWriterOptions {
  storage: HistoryStorage;
  logger?: Logger;
  /** commit at most this long after an event was recorded (default 200 ms) */
  batchMs?: number;
  /** commit as soon as this many events wait (default 5000) */
  maxBatch?: number;
  /** events held while the storage fails, beyond which the oldest are dropped (default 100000) */
  maxBuffered?: number;
  /** bytes of each notification's request body kept (default 0: none) */
  payloadBytes?: number;
}

// the real timers, also under test fake timers: a commit never waits for a fake clock
const defer: (fn: () => void) => unknown = setImmediate;
const later: typeof setTimeout = setTimeout;
const cancel: typeof clearTimeout = clearTimeout;

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

  constructor(o: BatchWriterOptions) {
    this.#o = { batchMs: 200, maxBatch: 5000, maxBuffered: 100_000, payloadBytes: 0, ...o };
  }

  get payloadBytes(): number {
    return this.#o.payloadBytes;
  }

  record(event: HistoryEvent): void {
    if (this.#closed) return;
    this.#buffer.push(event);
    if (this.#buffer.length >= this.#o.maxBatch) this.#scheduleNow();
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

  /** Commits what is buffered now (after any commit in progress). */
  flush(): Promise<void> {
    if (this.#timer !== undefined) {
      cancel(this.#timer);
      this.#timer = undefined;
    }
    this.#immediate = false;
    const batch = this.#buffer;
    const waiters = this.#waiters;
    this.#buffer = [];
    this.#waiters = [];
    const run = async (): Promise<void> => {
      if (batch.length > 0) {
        try {
          await this.#o.storage.append(batch);
        } catch (err) {
          this.#o.logger?.error({ err, events: batch.length }, 'Writing history events failed; they are kept for the next batch');
          this.#requeue(batch);
          for (const w of waiters) w.reject(err);
          return;
        }
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
