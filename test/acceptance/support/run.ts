/**
 * Runs one timeline scenario: start collectors and Tocsin, run the actions, check every collector.
 */
import { AppAlertmanager } from './app-backend';
import { Collector, Timeline } from './timeline';

/**
 * Extra seconds allowed after a window's end on a loaded 2-core machine (app, collectors and timeline share one
 * event loop). 0.4 keeps windows one second apart (upstream's [2, 2.5], [3, 3.5], ...) disjoint with EARLY.
 */
export const SLACK = 0.4;
/**
 * Seconds a batch may be stamped before its window starts: flushes land 4-30 ms after the window start when the
 * machine is calm, and arrival stamps are whole-ms Date.now() readings while timers run on the monotonic clock.
 */
export const EARLY = 0.02;

/** The Alertmanager under test: the real App on a loopback port. */
export type Am = AppAlertmanager;

export interface Scenario {
  config: string;
  collectors: string[];
  tolerance?: number;
  define(s: { am: Am; tl: Timeline; co: Record<string, Collector> }): void;
}

/**
 * A timer stall (event-loop delay or the process not being scheduled) longer than this during a run means the
 * run cannot judge its windows: app, collectors and timeline all stood still, so a batch stamped late says
 * nothing about Tocsin's timing. Such a run is repeated (up to RUNS times); a run without a stall is judged as is.
 */
export const STALL_MS = 150;
const RUNS = 3;

/** Largest lateness (ms) of a 25 ms interval timer between start() and stop(). */
export function stallMonitor(): { stop(): number } {
  const every = 25;
  let last = performance.now();
  let worst = 0;
  const t = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - every);
    last = now;
  }, every);
  return {
    stop() {
      clearInterval(t);
      return Math.max(worst, performance.now() - last - every);
    },
  };
}

export async function runScenario(sc: Scenario): Promise<void> {
  for (let run = 1; ; run++) {
    const mon = stallMonitor();
    let problems: string[];
    let stall = 0;
    try {
      problems = await runOnce(sc);
    } finally {
      stall = mon.stop();
    }
    if (problems.length === 0) return;
    const msg = `${problems.join('\n')}\n(run ${run}: timers stalled up to ${Math.round(stall)} ms)`;
    if (stall <= STALL_MS || run >= RUNS) throw new Error(msg);
  }
}

async function runOnce(sc: Scenario): Promise<string[]> {
  const co: Record<string, Collector> = {};
  for (const n of sc.collectors) {
    co[n] = new Collector(n, sc.tolerance ?? 0.15);
    await co[n].start();
  }
  const am: Am = new AppAlertmanager(sc.config, Object.values(co));
  await am.start();
  const tl = new Timeline();
  try {
    sc.define({ am, tl, co });
    const until = Math.max(...Object.values(co).map((c) => c.lastWindowEnd)) + SLACK;
    await tl.run(until, (base) => {
      am.base = base;
      for (const c of Object.values(co)) c.base = base;
    });
    return Object.values(co).flatMap((c) => c.check(SLACK, EARLY));
  } finally {
    await am.stop();
    for (const c of Object.values(co)) await c.stop();
  }
}

/**
 * Runs every case concurrently in one beforeAll (real time is the bottleneck, not CPU), then reports each
 * case as its own test. Nothing runs between jest tests, so lazy requires inside libraries are safe.
 */
export function describeScenarios(title: string, cases: Record<string, () => Promise<unknown>>): void {
  describe(title, () => {
    const results = new Map<string, unknown>();
    beforeAll(async () => {
      await Promise.all(
        Object.entries(cases).map(async ([name, fn]) => {
          try {
            await fn();
            results.set(name, undefined);
          } catch (e) {
            results.set(name, e ?? new Error('failed'));
          }
        }),
      );
    }, 120_000);
    for (const name of Object.keys(cases)) {
      test(name, () => {
        const e = results.get(name);
        if (e !== undefined) throw e;
      });
    }
  });
}
