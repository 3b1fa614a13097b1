import { FlushSlices } from './flush-slices';

/** A manual monotonic clock: `busy(ms)` advances it, so the slicing is the same on a loaded machine. */
let fakeNow = 0;
const clock = () => fakeNow;
const busy = (ms: number) => {
  fakeNow += ms;
};

/** Something else waiting on the event loop (e.g. a socket): an immediate queued now, noted as 'other' when it runs. */
const otherCallback = (events: string[]) =>
  new Promise<void>((resolve) =>
    setImmediate(() => {
      events.push('other');
      resolve();
    }),
  );

describe('FlushSlices', () => {
  test('a few tasks run synchronously', () => {
    const s = new FlushSlices(50, clock);
    const ran: number[] = [];
    for (let i = 0; i < 5; i++) s.run(() => ran.push(i));
    expect(ran).toEqual([0, 1, 2, 3, 4]);
    expect(s.pending).toBe(0);
  });

  test('tasks beyond the budget wait for later turns, in order, with other callbacks served in between', async () => {
    const s = new FlushSlices(10, clock);
    const events: string[] = [];
    for (let i = 0; i < 12; i++) {
      s.run(() => {
        events.push(`t${i}`);
        busy(4);
      });
    }
    const syncCount = events.length;
    expect(syncCount).toBeGreaterThanOrEqual(2);
    expect(syncCount).toBeLessThan(12);
    // something else waiting on the event loop (e.g. a socket) gets a turn before the rest finish
    // (an immediate queued now runs after the first drain turn: before the rest, whatever this machine's speed)
    await otherCallback(events);
    while (s.pending > 0) await new Promise((r) => setImmediate(r));
    const tasks = events.filter((e) => e !== 'other');
    expect(tasks).toEqual(Array.from({ length: 12 }, (_, i) => `t${i}`));
    const otherAt = events.indexOf('other');
    expect(otherAt).toBeGreaterThanOrEqual(syncCount);
    expect(otherAt).toBeLessThan(events.length - 1);
  });

  test('a new slice starts after the turn ends', async () => {
    const s = new FlushSlices(5, clock);
    s.run(() => busy(6));
    let ran = false;
    s.run(() => {
      ran = true;
    });
    expect(ran).toBe(false);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(ran).toBe(true);
    // next turn: runs at once again
    let now = false;
    s.run(() => {
      now = true;
    });
    expect(now).toBe(true);
  });
});

describe('FlushSlices backlog', () => {
  test('a 50k-task backlog drains in order in linear time', async () => {
    const s = new FlushSlices(10, clock);
    const N = 50_000;
    let next = 0;
    let outOfOrder = 0;
    s.run(() => busy(11)); // ends the first slice: everything below is queued
    for (let i = 0; i < N; i++) {
      s.run(() => {
        if (i !== next) outOfOrder++;
        next++;
      });
    }
    expect(s.pending).toBe(N);
    const t0 = performance.now();
    while (s.pending > 0) await new Promise((r) => setImmediate(r));
    const ms = performance.now() - t0;
    expect(next).toBe(N);
    expect(outOfOrder).toBe(0);
    // Array.shift per task took ~2 s here (O(n^2) on a large array); the cursor takes a few ms
    expect(ms).toBeLessThan(500);
  });
});

describe('FlushSlices task count', () => {
  test('a slice starts at most maxTasks tasks however cheap they are; the rest follow in later turns, in order', async () => {
    const s = new FlushSlices(10, clock, 4);
    const events: string[] = [];
    for (let i = 0; i < 10; i++) s.run(() => events.push(`t${i}`));
    // no time passes (the manual clock stands still): only the count ends the slice
    expect(events).toEqual(['t0', 't1', 't2', 't3']);
    expect(s.pending).toBe(6);
    await otherCallback(events);
    while (s.pending > 0) await new Promise((r) => setImmediate(r));
    expect(events.filter((e) => e !== 'other')).toEqual(Array.from({ length: 10 }, (_, i) => `t${i}`));
    // something else waiting on the event loop got a turn between two slices
    const otherAt = events.indexOf('other');
    expect(otherAt).toBeGreaterThanOrEqual(4);
    expect(otherAt).toBeLessThan(events.length - 1);
  });

  test('the default count lets 32 cheap tasks run at once and queues the 33rd', () => {
    const s = new FlushSlices(10, clock);
    let ran = 0;
    for (let i = 0; i < 33; i++) s.run(() => ran++);
    expect(ran).toBe(32);
    expect(s.pending).toBe(1);
  });
});
