/**
 * @module app/ha/turn-batch
 * Batches the writes made in one turn of the event loop into one call (one transaction, one round trip to
 * PostgreSQL): with small transactions the commit dominates (docs/ha-design.md "Measured"), so many
 * concurrent API requests or flushes share one. Each add() resolves with its own result once that call
 * succeeded, or rejects with its error.
 */
import { StorageUnavailableError } from '../../store/storage';

// the real setImmediate, also under test fake timers: a write must never wait for a fake clock
const defer: (fn: () => void) => unknown = setImmediate;

interface Waiter<R> {
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

export class TurnBatch<T, R = void> {
  #items: T[] = [];
  #waiters: Waiter<R>[] = [];
  #scheduled = false;
  #inFlight = 0;
  readonly #maxInFlight: number;

  /**
   * `run(items)` resolves to one result per item, in order (or void when R is void). With `maxInFlight`, at
   * most that many runs are under way at once: items added meanwhile wait and go together when one ends
   * (group commit: under load, fewer and larger transactions).
   */
  constructor(
    private readonly run: (items: T[]) => Promise<R[] | undefined>,
    o: { maxInFlight?: number } = {},
  ) {
    this.#maxInFlight = o.maxInFlight ?? Number.POSITIVE_INFINITY;
  }

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#items.push(item);
      this.#waiters.push({ resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled || this.#items.length === 0 || this.#inFlight >= this.#maxInFlight) return;
    this.#scheduled = true;
    defer(() => void this.#flush());
  }

  async #flush(): Promise<void> {
    this.#scheduled = false;
    const items = this.#items;
    const waiters = this.#waiters;
    this.#items = [];
    this.#waiters = [];
    this.#inFlight++;
    try {
      const results = await this.run(items);
      for (let i = 0; i < waiters.length; i++) waiters[i]!.resolve(results?.[i] as R);
    } catch (e) {
      for (const w of waiters) w.reject(e);
    } finally {
      this.#inFlight--;
      this.#schedule();
    }
  }
}

/**
 * The write a synchronous store call (MemAlerts.put, Silences.set) started last, for the API handler that
 * made the call to await before answering. Failures become StorageUnavailableError (503); a write nobody
 * awaits (an internal one) never becomes an unhandled rejection.
 */
export class LastWrite {
  #last: Promise<void> | undefined;

  started(p: Promise<unknown>, onFailure?: () => void): void {
    const w = p.then(
      () => undefined,
      (e: unknown) => {
        onFailure?.();
        throw new StorageUnavailableError(e);
      },
    );
    w.catch(() => undefined);
    this.#last = w;
  }

  take(): Promise<void> | undefined {
    const p = this.#last;
    this.#last = undefined;
    return p;
  }
}
