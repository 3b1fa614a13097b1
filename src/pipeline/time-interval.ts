/**
 * @module pipeline/time-interval
 * How the time-interval stages ask "is interval X active at t". The evaluator comes from src/timeinterval
 * (isActive(specs, epochMs)); it is injected so the pipeline does not depend on its file layout.
 */
import type { TimeIntervalSpec } from '../timeinterval/types';

export type TimeIntervalEvaluator = (specs: readonly TimeIntervalSpec[], epochMs: number) => boolean;

/** name -> specs, plus the evaluator */
export interface TimeIntervals {
  specs: ReadonlyMap<string, readonly TimeIntervalSpec[]>;
  isActive: TimeIntervalEvaluator;
}

/**
 * TimeActiveStage's decision: the active_time_intervals muting at `t`: all of `names` when there are some and
 * none contains `t`, else none.
 */
export function mutingActiveIntervals(ti: TimeIntervals, names: readonly string[], t: number): readonly string[] {
  if (names.length === 0) return [];
  return activeNames(ti, names, t).length > 0 ? [] : names;
}

/** TimeMuteStage's decision: the mute_time_intervals muting at `t` (those containing it). */
export function mutingMuteIntervals(ti: TimeIntervals, names: readonly string[], t: number): string[] {
  return activeNames(ti, names, t);
}

/** The names among `names` whose interval contains `t`. Unknown names never match. */
export function activeNames(ti: TimeIntervals, names: readonly string[], t: number): string[] {
  const out: string[] = [];
  for (const n of names) {
    const specs = ti.specs.get(n);
    if (specs && ti.isActive(specs, t)) out.push(n);
  }
  return out;
}
