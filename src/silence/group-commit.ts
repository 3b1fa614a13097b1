/**
 * @module silence/group-commit
 * Group commit: writes that arrive together (in the same turns of the event loop, e.g. concurrent
 * POST /api/v2/silences) are committed by ONE call of `commit` (one transaction) instead of one each. Every
 * `add()` resolves only after the batch holding its item was committed, and rejects with the commit's error
 * when that failed (then every item of the batch failed: nothing of it is kept). Batches commit one after
 * another in arrival order; items added while a commit is running form the next batch, started once that
 * commit ended (or by a forced flush(): an asynchronous `commit` must then keep the order of its calls,
 * as a writer thread does).
 */
export type CommitFn<T> = (items: readonly T[]) => void | Promise<void>;
export type Schedule = (run: () => void) => void;

interface Waiter<T> {
  item: T;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class GroupCommit<T> {
  readonly #commit: CommitFn<T>;
  readonly #schedule: Schedule;
  #open: Waiter<T>[] = [];
  #scheduled = false;
  /** commits running (only an asynchronous `commit` leaves one running across turns) */
  #running = 0;

  /** `schedule` decides when an open batch is committed: by default after the current poll phase (setImmediate). */
  constructor(commit: CommitFn<T>, schedule: Schedule = (run) => setImmediate(run)) {
    this.#commit = commit;
    this.#schedule = schedule;
  }

  /** Items waiting for their commit. */
  get pending(): number {
    return this.#open.length;
  }

  /** Queues `item` for the next commit; resolves once it is committed. */
  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#open.push({ item, resolve, reject });
      this.#arm();
    });
  }

  /**
   * Commits the open batch now (synchronously when `commit` is synchronous): for a writer that must not
   * overtake queued items, and at shutdown. No-op while nothing is open, or while a commit is running unless
   * `force` (then the open batch's commit starts behind the running one).
   */
  flush(force = false): void {
    if ((this.#running > 0 && !force) || this.#open.length === 0) return;
    const batch = this.#open;
    this.#open = [];
    this.#running++;
    let result: void | Promise<void>;
    try {
      result = this.#commit(batch.map((w) => w.item));
    } catch (e) {
      this.#settle(batch, e, true);
      return;
    }
    if (result instanceof Promise) {
      result.then(
        () => this.#settle(batch, undefined, false),
        (e: unknown) => this.#settle(batch, e, true),
      );
    } else {
      this.#settle(batch, undefined, false);
    }
  }

  /** Resolves once nothing is open or committing (shutdown: every queued item has its answer). */
  async idle(): Promise<void> {
    while (this.#running > 0 || this.#open.length > 0) {
      this.flush();
      await new Promise<void>((r) => setImmediate(r));
    }
  }

  #settle(batch: readonly Waiter<T>[], err: unknown, failed: boolean): void {
    this.#running--;
    for (const w of batch) {
      if (failed) w.reject(err);
      else w.resolve();
    }
    if (this.#open.length > 0) this.#arm();
  }

  #arm(): void {
    if (this.#scheduled || this.#running > 0) return;
    this.#scheduled = true;
    this.#schedule(() => {
      this.#scheduled = false;
      this.flush();
    });
  }
}
