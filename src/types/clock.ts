/**
 * Injected time. Everything that reads the time or sleeps takes a Clock, so tests can drive
 * it with jest fake timers (systemClock delegates to the globals jest replaces) or a manual clock.
 */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** epoch milliseconds */
  now(): number;
  /** run fn once after ms milliseconds */
  setTimer(ms: number, fn: () => void): TimerHandle;
}

/** a timer of the globals (a class, not a closure per timer: every group flush arms two) */
class GlobalTimer implements TimerHandle {
  constructor(private readonly t: ReturnType<typeof setTimeout>) {}
  cancel(): void {
    clearTimeout(this.t);
  }
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    const t = setTimeout(fn, Math.max(0, ms));
    t.unref?.();
    return new GlobalTimer(t);
  },
};
