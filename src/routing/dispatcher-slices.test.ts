import { Registry } from 'prom-client';
import { mkAlert, route } from '../../test/acceptance/support/fixtures';
import { MemProvider } from '../../test/acceptance/support/mem-provider';
import type { HistoryEvent } from '../history/event';
import type { HistorySink } from '../history/sink';
import type { Stage } from '../pipeline/types';
import type { Clock } from '../types/clock';
import { silentLogger } from '../types/logger';
import { Dispatcher } from './dispatcher';
import { buildRouteTree } from './route';

const T = 1_700_000_000_000;

/** A dispatcher over 12 stored alerts in 3 groups (by `g`); timers are recorded, never fire. */
function setup(history?: HistorySink, registry?: Registry) {
  const timers: number[] = [];
  const clock: Clock = {
    now: () => T,
    setTimer: (ms) => {
      timers.push(ms);
      return { cancel: () => undefined };
    },
  };
  const provider = new MemProvider(clock);
  const stored = Array.from({ length: 12 }, (_, i) => mkAlert({ alertname: 'A', g: String(i % 3), i: String(i) }, { startsAt: T - 60_000, endsAt: T + 3_600_000, updatedAt: T - 1000 }));
  provider.put(stored);
  const stage: Stage = { exec: async (ctx, alerts) => ({ ctx, alerts }) };
  const d = new Dispatcher({
    route: buildRouteTree(route({ receiver: 'r', group_by: ['g'], group_wait: 30_000, group_interval: 300_000, repeat_interval: 3_600_000 })),
    alerts: provider,
    stages: new Map([['r', stage]]),
    clock,
    logger: silentLogger(),
    ...(history ? { history } : {}),
    ...(registry ? { registry } : {}),
  });
  // a turn the test controls: each call waits until the test lets it go
  const turns: (() => void)[] = [];
  const yieldTurn = () => new Promise<void>((resolve) => turns.push(resolve));
  /** waits until the dispatcher yields (one slice done) */
  const atTurn = async () => {
    while (turns.length === 0) await Promise.resolve();
  };
  const nextTurn = async () => {
    await atTurn();
    turns.shift()!();
  };
  return { d, provider, stored, timers, yieldTurn, atTurn, nextTurn };
}

describe('Dispatcher.startInSlices (groups rebuilt from restored alerts between event-loop turns)', () => {
  it('rebuilds every group in slices and schedules the groups only once all are in', async () => {
    const s = setup();
    const done = s.d.startInSlices(s.yieldTurn, 4);
    await s.atTurn(); // after 4 alerts
    expect(s.d.groupCount).toBe(3);
    expect([...s.d.groups()].reduce((n, g) => n + g.size, 0)).toBe(4);
    expect(s.timers).toEqual([]); // no group armed half-rebuilt
    await s.nextTurn();
    await s.nextTurn();
    await s.nextTurn();
    await done;
    expect([...s.d.groups()].map((g) => g.size)).toEqual([4, 4, 4]);
    expect(s.timers).toEqual([0, 0, 0]); // group_wait long over for these alerts: flush at once, as start() does
  });

  it('keeps the newer version of an alert put while rebuilding, and follows new alerts from the beginning', async () => {
    const s = setup();
    const done = s.d.startInSlices(s.yieldTurn, 4);
    await s.nextTurn();
    const last = s.stored[11]!;
    s.provider.put([{ ...last, annotations: { v: 'newer' }, updatedAt: T }]);
    s.provider.put([mkAlert({ alertname: 'A', g: 'new' }, { startsAt: T, endsAt: T + 3_600_000, updatedAt: T })]);
    expect(s.timers).toEqual([30_000]); // the new alert's group: group_wait, at once
    await s.nextTurn();
    await s.nextTurn();
    await done;
    const g = [...s.d.groups()].find((x) => x.has(last.fingerprint))!;
    expect([...g.alerts()].find((a) => a.fingerprint === last.fingerprint)?.annotations).toEqual({ v: 'newer' });
    expect(s.d.groupCount).toBe(4);
  });

  it('reads the stored alerts once through all(), with no lookup per alert, and counts each in the processing summary', async () => {
    const registry = new Registry();
    const s = setup(undefined, registry);
    const get = jest.spyOn(s.provider, 'get');
    const done = s.d.startInSlices(s.yieldTurn, 5); // 5 + 5 + 2: the last slice is not a full one
    await s.nextTurn();
    await s.nextTurn();
    await done;
    expect(get).not.toHaveBeenCalled();
    expect([...s.d.groups()].map((g) => g.size)).toEqual([4, 4, 4]);
    expect(await registry.metrics()).toContain('alertmanager_dispatcher_alert_processing_duration_seconds_count 12\n');
    // an alert followed afterwards is observed on its own
    s.provider.put([mkAlert({ alertname: 'A', g: '0', i: 'later' }, { startsAt: T, endsAt: T + 3_600_000, updatedAt: T })]);
    expect(await registry.metrics()).toContain('alertmanager_dispatcher_alert_processing_duration_seconds_count 13\n');
  });

  it('an alert put while rebuilding that all() meets again stays once in its group, in its newest version', async () => {
    const s = setup();
    const done = s.d.startInSlices(s.yieldTurn, 4);
    await s.nextTurn();
    // put before all() reaches it: routed by the subscription first, then met again by the rebuild
    const fresh = mkAlert({ alertname: 'A', g: '1', i: 'fresh' }, { startsAt: T, endsAt: T + 3_600_000, updatedAt: T });
    s.provider.put([fresh]);
    const stored = s.stored[10]!;
    s.provider.put([{ ...stored, annotations: { v: 'newer' }, updatedAt: T }]);
    await s.nextTurn();
    await s.nextTurn();
    await done;
    const g = [...s.d.groups()].find((x) => x.has(fresh.fingerprint))!;
    expect(g.size).toBe(5);
    expect([...s.d.groups()].reduce((n, x) => n + x.size, 0)).toBe(13);
    const holder = [...s.d.groups()].find((x) => x.has(stored.fingerprint))!;
    expect([...holder.alerts()].find((a) => a.fingerprint === stored.fingerprint)?.annotations).toEqual({ v: 'newer' });
  });

  it('ends early when stopped meanwhile', async () => {
    const s = setup();
    const done = s.d.startInSlices(s.yieldTurn, 4);
    await s.nextTurn();
    s.d.stop();
    await s.nextTurn();
    await done;
    expect(s.d.groupCount).toBe(0);
    expect(s.timers).toEqual([]);
  });

  it('records no alert_grouped for the groups a restart rebuilds, but does for an alert put meanwhile and on start()', async () => {
    const events: HistoryEvent[] = [];
    const history: HistorySink = { record: (e) => events.push(e), committed: async () => undefined };
    const s = setup(history);
    const done = s.d.startInSlices(s.yieldTurn, 4);
    await s.nextTurn();
    const fresh = mkAlert({ alertname: 'A', g: 'new' }, { startsAt: T, endsAt: T + 3_600_000, updatedAt: T });
    s.provider.put([fresh]);
    await s.nextTurn();
    await s.nextTurn();
    await done;
    expect(events.map((e) => [e.kind, e.fingerprint])).toEqual([['alert_grouped', fresh.fingerprint]]);
    // a reload's dispatcher (start()) groups every alert anew: each is recorded
    const again = setup(history);
    events.length = 0;
    again.d.start();
    expect(events.filter((e) => e.kind === 'alert_grouped')).toHaveLength(12);
  });
});
