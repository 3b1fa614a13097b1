import type { Clock, TimerHandle } from '../../src/types/clock';

interface PendingTimer {
  at: number;
  seq: number;
  fn: () => void;
}

/**
 * A clock that only moves when told (`advance`, or set `t`). Due timers fire in time order, and those due at one
 * instant in the order they were set; the search is once per instant, so 20k groups sharing one stay cheap.
 */
export class ManualClock implements Clock {
  #seq = 0;
  /** pending timers; a cancelled one leaves at once (it may hold a whole aggregation group) */
  readonly #timers = new Set<PendingTimer>();
  constructor(public t: number) {}
  now(): number {
    return this.t;
  }
  setTimer(ms: number, fn: () => void): TimerHandle {
    const e = { at: this.t + Math.max(0, ms), seq: this.#seq++, fn };
    this.#timers.add(e);
    return { cancel: () => this.#timers.delete(e) };
  }
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let at = Number.POSITIVE_INFINITY;
      for (const x of this.#timers) if (x.at < at) at = x.at;
      if (at > end) break;
      const due = [...this.#timers].filter((x) => x.at === at).sort((a, b) => a.seq - b.seq);
      this.t = Math.max(this.t, at);
      for (const x of due) {
        // a timer cancelled by an earlier one of the same instant does not fire
        if (this.#timers.delete(x)) x.fn();
      }
    }
    this.t = end;
  }
}
