/**
 * @module history/retention
 * Deletes old history in the background: events older than the retention, then the oldest beyond the size
 * cap, a small batch per turn of the event loop so neither ingest nor notifications wait behind it.
 */
import type { Clock, TimerHandle } from '../types/clock';
import type { Logger } from '../types/logger';
import type { HistoryStorage } from './storage';

export interface RetentionOptions {
  storage: HistoryStorage;
  clock: Clock;
  logger?: Logger;
  /** ms; events older than now - retention are deleted (--tocsin.history.retention) */
  retention: number;
  /** keep at most this many events (--tocsin.history.max-events; 0 = no cap) */
  maxEvents: number;
  /** ms between runs (default 1 min) */
  interval?: number;
  /** rows deleted per statement (default 1000) */
  batch?: number;
}

const yieldTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class HistoryRetention {
  readonly #o: RetentionOptions;
  #timer: TimerHandle | undefined;
  #running: Promise<number> | undefined;
  #stopped = false;

  constructor(o: RetentionOptions) {
    this.#o = o;
  }

  start(): void {
    this.#stopped = false;
    this.#schedule();
  }

  stop(): void {
    this.#stopped = true;
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  /** One pass; resolves to the number of events deleted. Passes never overlap. */
  run(): Promise<number> {
    this.#running ??= this.#pass().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #pass(): Promise<number> {
    const { storage, clock, retention, maxEvents } = this.#o;
    const batch = this.#o.batch ?? 1000;
    let deleted = 0;
    try {
      const cutoff = clock.now() - retention;
      for (;;) {
        const n = await storage.deleteOlderThan(cutoff, batch);
        deleted += n;
        if (n < batch || this.#stopped) break;
        await yieldTurn();
      }
      while (maxEvents > 0 && !this.#stopped) {
        const n = await storage.trimToNewest(maxEvents, batch);
        deleted += n;
        if (n < batch) break;
        await yieldTurn();
      }
    } catch (err) {
      this.#o.logger?.error({ err }, 'Deleting old history failed');
    }
    if (deleted > 0) this.#o.logger?.debug({ deleted }, 'Deleted old history events');
    return deleted;
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = this.#o.clock.setTimer(this.#o.interval ?? 60_000, () => {
      void this.run().then(() => this.#schedule());
    });
  }
}
