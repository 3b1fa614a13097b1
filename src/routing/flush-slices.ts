/**
 * @module routing/flush-slices
 * Spreads the start of many group flushes that fall due at the same moment (1000 groups behind one
 * group_wait, or every restored group at startup) over several turns of the event loop. Flushes run at once
 * while the current turn has spent less than `budgetMs`; the rest wait for the next turns (setImmediate),
 * so that between slices the sockets are served: the first notifications are written while later groups are
 * still being prepared, the receiving end works in parallel, and the API (and /-/ready) keeps answering.
 * Order is kept (first due, first flushed). A single flush, or a few, runs synchronously as before.
 * A slice also starts at most `maxTasks` flushes: the time budget sees only a flush's synchronous start, not the
 * stages it runs right after (payload, request), so without a count 1000 due flushes would all start in one turn
 * and every request would wait behind all of them (the first webhooks later, the in-flight state larger); with it
 * the responses of the flushes started so far are served between slices.
 */
const NOOP = (): void => {};

export class FlushSlices {
  readonly #budgetMs: number;
  readonly #maxTasks: number;
  /** tasks run in the current slice */
  #ran = 0;
  /** waiting tasks from #head on (a cursor: Array.shift is O(n) on large arrays, O(n^2) for a 50k backlog) */
  readonly #queue: (() => void)[] = [];
  #head = 0;
  /** performance.now() at the start of the current slice, or -1 between slices */
  #sliceStart = -1;
  #drainScheduled = false;

  readonly #now: () => number;

  /**
   * `now`: a monotonic clock in ms (tests pass a manual one: the slicing then does not depend on CPU speed);
   * `maxTasks`: flushes started per slice at most (measured: 32 starts the first half of 1000 simultaneous
   * webhooks with about a fifth less CPU spent before them than no limit, and no more CPU in all)
   */
  constructor(budgetMs = 10, now: () => number = () => performance.now(), maxTasks = 32) {
    this.#budgetMs = budgetMs;
    this.#now = now;
    this.#maxTasks = maxTasks;
  }

  /** Tasks waiting for a later slice. */
  get pending(): number {
    return this.#queue.length - this.#head;
  }

  /** Runs `task` now if the current slice has time left and nothing is waiting, else queues it. */
  run(task: () => void): void {
    if (this.pending === 0 && this.#hasTime()) {
      task();
      return;
    }
    this.#queue.push(task);
    this.#scheduleDrain();
  }

  #hasTime(): boolean {
    const t = this.#now();
    if (this.#sliceStart < 0) {
      this.#sliceStart = t;
      this.#ran = 1;
      // the slice ends with this turn of the event loop
      setImmediate(() => {
        this.#sliceStart = -1;
      });
      return true;
    }
    return this.#ran++ < this.#maxTasks && t - this.#sliceStart < this.#budgetMs;
  }

  #scheduleDrain(): void {
    if (this.#drainScheduled) return;
    this.#drainScheduled = true;
    setImmediate(() => this.#drain());
  }

  #drain(): void {
    this.#drainScheduled = false;
    const start = this.#now();
    this.#sliceStart = start;
    this.#ran = 0;
    while (this.#head < this.#queue.length) {
      const task = this.#queue[this.#head]!;
      this.#queue[this.#head++] = NOOP; // drop the reference now
      task();
      if (++this.#ran >= this.#maxTasks || this.#now() - start >= this.#budgetMs) break;
    }
    this.#sliceStart = -1;
    if (this.#head === this.#queue.length) {
      this.#queue.length = 0;
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#queue.length) {
      this.#queue.splice(0, this.#head); // amortised O(1) per task
      this.#head = 0;
    }
    if (this.pending > 0) this.#scheduleDrain();
  }
}
