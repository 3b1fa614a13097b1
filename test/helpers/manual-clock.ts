import type { Clock, TimerHandle } from '../../src/types/clock';

interface PendingTimer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/**
 * A clock that only moves when told (`advance`, or set `t`). Due timers fire in time order, and those due at one
 * instant in the order they were set; the search is once per instant, so 20k groups sharing one stay cheap.
 */
export class ManualClock implements Clock {
  #seq = 0;
  #timers: PendingTimer[] = [];
  constructor(public t: number) {}
  now(): number {
    return this.t;
  }
  setTimer(ms: number, fn: () => void): TimerHandle {
    const e = { at: this.t + Math.max(0, ms), seq: this.#seq++, fn, cancelled: false };
    this.#timers.push(e);
    return {
      cancel: () => {
        e.cancelled = true;
      },
    };
  }
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let at = Number.POSITIVE_INFINITY;
      for (const x of this.#timers) if (!x.cancelled && x.at < at) at = x.at;
      if (at > end) break;
      const due = this.#timers.filter((x) => !x.cancelled && x.at === at).sort((a, b) => a.seq - b.seq);
      this.#timers = this.#timers.filter((x) => !x.cancelled && x.at !== at);
      this.t = Math.max(this.t, at);
      for (const x of due) if (!x.cancelled) x.fn();
    }
    this.t = end;
  }
}
