/**
 * Long API work in slices: a step generator yields at points where it may pause; `runSliced` runs it and hands
 * the event loop back (setImmediate) whenever a slice has taken `budgetMs`, so other requests (health checks,
 * Prometheus's next POST) wait at most about that long behind a big request.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Default slice length: other requests wait at most about this long behind one big request. */
export const SLICE_BUDGET_MS = 10;

export async function runSliced<T>(steps: Generator<void, T, void>, budgetMs = SLICE_BUDGET_MS): Promise<T> {
  let start = performance.now();
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (performance.now() - start >= budgetMs) {
      await nextTurn();
      start = performance.now();
    }
  }
}

/** Yields after each of `items`' chunks of `size` has been given to `fn`. */
export function* inChunks<T>(items: readonly T[], size: number, fn: (chunk: readonly T[]) => void): Generator<void, void, void> {
  if (items.length <= size) {
    fn(items);
    return;
  }
  for (let i = 0; i < items.length; i += size) {
    fn(items.slice(i, i + size));
    yield;
  }
}
