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

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    const t = setTimeout(fn, Math.max(0, ms));
    t.unref?.();
    return { cancel: () => clearTimeout(t) };
  },
};
