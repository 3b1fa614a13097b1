/**
 * Shared helpers of the micro benchmarks: wall-clock measurement lives here, never in unit tests
 * (the unit tests assert structure: evaluations, scans, timers).
 */
export interface MicroResult {
  name: string;
  usPerOp: number;
}

export interface MicroOptions {
  /** smaller workloads (smoke runs; numbers not judged) */
  quick?: boolean;
}

/** Microseconds per op of `run`, which performs `ops` operations in one go (setup excluded by the caller). */
export function timeOnce(name: string, ops: number, run: () => void): MicroResult {
  const start = process.hrtime.bigint();
  run();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { name, usPerOp: (ms * 1000) / ops };
}

/** Repeats `fn` (one op) after a warm-up until at least `minMs` have passed. */
export function repeat(name: string, fn: () => void, minMs = 300): MicroResult {
  for (let i = 0; i < 20; i++) fn();
  let ops = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < 20; i++) fn();
    ops += 20;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return { name, usPerOp: (elapsed * 1000) / ops };
}

/** `repeat` for an asynchronous op: each call is awaited before the next (its whole work is timed). */
export async function repeatAsync(name: string, fn: () => Promise<unknown>, minMs = 300): Promise<MicroResult> {
  for (let i = 0; i < 20; i++) await fn();
  let ops = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < 20; i++) await fn();
    ops += 20;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return { name, usPerOp: (elapsed * 1000) / ops };
}

/** A clock whose timers never fire: the benches measure ingest and checks, not flushes. */
export function frozenClock(now: number): { now(): number; setTimer(ms: number, fn: () => void): { cancel(): void } } {
  return { now: () => now, setTimer: () => ({ cancel: () => {} }) };
}
