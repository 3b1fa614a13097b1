/**
 * Run counts and time budgets of the property-based (fast-check) fuzz tests. `npm test` runs each property a small,
 * bounded number of times (all fuzz tests together stay well under 20 s on 2 cores); `TOCSIN_FUZZ_RUNS=100000`
 * runs every property that many times (docs/CONTRIBUTING.md). `TOCSIN_FUZZ_SEED` replays one seed.
 */
import type { Parameters } from 'fast-check';

/** runs for one property: TOCSIN_FUZZ_RUNS when set, else `quick` */
export function fuzzRuns(quick: number): number {
  const n = Number(process.env.TOCSIN_FUZZ_RUNS);
  return Number.isInteger(n) && n > 0 ? n : quick;
}

/** fast-check parameters for one property (runs, optional fixed seed) */
export function fuzzParams<T>(quick: number): Parameters<T> {
  const seed = Number(process.env.TOCSIN_FUZZ_SEED);
  return { numRuns: fuzzRuns(quick), ...(Number.isInteger(seed) ? { seed } : {}) };
}

/** jest timeout for a property: generous per run, since the longer runs are on demand */
export function fuzzTimeout(quick: number, msPerRun: number): number {
  return Math.max(30_000, fuzzRuns(quick) * msPerRun * 2);
}

/**
 * Calls `fn` and returns its wall time in ms, for "never hangs" properties: one input must be handled within a budget.
 * (A synchronous parser that hangs cannot be interrupted from the same thread; the budget then fails the
 * property once the call returns, and jest's timeout catches a true hang.)
 */
export function timed(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/**
 * Runs `fn` on one fuzz input: it may return or throw an instance of `allowed` (the parser's documented error), never
 * anything else, and must finish within `budgetMs`. Returns the error thrown, if any.
 */
export function expectOnly(allowed: abstract new (...args: never[]) => Error, fn: () => unknown, input: string, budgetMs: number): Error | undefined {
  let ms = 0;
  let thrown: Error | undefined;
  const t = process.hrtime.bigint();
  try {
    fn();
  } catch (e) {
    if (!(e instanceof allowed)) throw new Error(`${(e as Error)?.constructor?.name} (not ${allowed.name}): ${(e as Error)?.message}\n--- input ---\n${input}`);
    thrown = e;
  } finally {
    ms = Number(process.hrtime.bigint() - t) / 1e6;
  }
  if (ms >= budgetMs) throw new Error(`took ${ms.toFixed(0)} ms (budget ${budgetMs} ms)\n--- input ---\n${input}`);
  return thrown;
}
