import { Registry } from 'prom-client';
import { eq, mkAlert, route } from '../../test/acceptance/support/fixtures';
import { MemProvider } from '../../test/acceptance/support/mem-provider';
import { Nflog } from '../nflog/nflog';
import { buildPipeline } from '../pipeline/pipeline-builder';
import type { Integration, IntegrationRef, NotificationLog, NotifyContext } from '../pipeline/types';
import type { Alert } from '../types/alert';
import { systemClock } from '../types/clock';
import { NotifyError } from '../types/errors';
import { silentLogger } from '../types/logger';
import { FlushSlices } from './flush-slices';
import { Dispatcher } from './dispatcher';
import { buildRouteTree } from './route';
import type { RouteConfig } from '../config/types';

interface Sent {
  t: number;
  integration: string;
  reason: string | undefined;
  alerts: { name: string; resolved: boolean }[];
}

function setup(o: { route?: Partial<RouteConfig>; sendResolved?: boolean; nflog?: Nflog; log?: (n: Nflog) => NotificationLog; keepResolvedFor?: (k: string, gi: number) => number; onNewGroup?: (k: string) => void; onFirstFlush?: (k: string, refs: readonly IntegrationRef[], delay: number) => void; t0?: number; isActive?: (specs: unknown, t: number) => boolean; failing?: { on: boolean } } = {}) {
  const clock = systemClock;
  const sent: Sent[] = [];
  const t0 = o.t0 ?? Date.now();
  const integration: Integration = {
    name: 'webhook',
    index: 0,
    sendResolved: o.sendResolved ?? true,
    notifier: {
      async notify(ctx: NotifyContext, alerts: readonly Alert[]) {
        if (o.failing?.on) throw new NotifyError('unexpected status code 400', { retryable: false, reason: 'clientError', status: 400 });
        sent.push({
          t: (clock.now() - t0) / 1000,
          integration: 'webhook',
          reason: ctx.notificationReason,
          alerts: alerts.map((a) => ({ name: a.labels.alertname!, resolved: a.endsAt !== 0 && a.endsAt <= ctx.now })),
        });
      },
    },
  };
  const nflog = o.nflog ?? new Nflog({ clock });
  const log = o.log ? o.log(nflog) : nflog;
  const stages = buildPipeline({
    receivers: new Map([['r', [integration]]]),
    timeIntervals: { specs: new Map([['night', []]]), isActive: o.isActive ?? (() => false) },
    nflog: log,
    clock,
  });
  const rt = buildRouteTree(
    route({ receiver: 'r', group_by: ['alertname'], group_wait: 1000, group_interval: 5000, repeat_interval: 60_000, ...o.route }),
  );
  const provider = new MemProvider(clock);
  const registry = new Registry();
  const d = new Dispatcher({
    // the fake clock: slicing never depends on how fast this machine runs the test (no stray setImmediate)
    slices: new FlushSlices(10, () => Date.now()),
    route: rt,
    alerts: provider,
    stages,
    clock,
    logger: silentLogger(),
    registry,
    nflog: log,
    integrationRefs: new Map([['r', [{ groupName: 'r', integration: 'webhook', idx: 0 }]]]),
    ...(o.keepResolvedFor ? { keepResolvedFor: o.keepResolvedFor } : {}),
    ...(o.onNewGroup ? { onNewGroup: o.onNewGroup } : {}),
    ...(o.onFirstFlush ? { onFirstFlush: o.onFirstFlush } : {}),
  });
  const push = (labels: Record<string, string>, o2: { startsAt?: number; endsAt?: number } = {}) => {
    const now = clock.now();
    provider.put([mkAlert(labels, { startsAt: o2.startsAt ?? now, endsAt: o2.endsAt ?? now + 300_000, updatedAt: now, timeout: o2.endsAt === undefined })]);
  };
  return { d, provider, sent, push, nflog, registry, clock, t0 };
}

const tick = (ms: number) => jest.advanceTimersByTimeAsync(ms);

describe('Dispatcher', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_700_000_000_000, doNotFake: ['nextTick', 'queueMicrotask'] }) /* real: getTimerCount() also counts queued fake jobs */);
  afterEach(() => jest.useRealTimers());

  test('first flush after group_wait, new alerts join at the next group_interval', async () => {
    const s = setup();
    s.d.start();
    s.push({ alertname: 'A', i: '1' });
    await tick(999);
    expect(s.sent).toHaveLength(0);
    await tick(1);
    expect(s.sent).toEqual([{ t: 1, integration: 'webhook', reason: 'first notification', alerts: [{ name: 'A', resolved: false }] }]);
    await tick(500);
    s.push({ alertname: 'A', i: '2' });
    await tick(4000);
    expect(s.sent).toHaveLength(1); // not sooner than the group_interval tick
    await tick(500);
    expect(s.sent).toHaveLength(2);
    expect(s.sent[1]!.t).toBe(6);
    expect(s.sent[1]!.reason).toBe('new alerts added');
    expect(s.sent[1]!.alerts).toHaveLength(2);
    s.d.stop();
  });

  test('onNewGroup hears of each group once, when it is created (HA: its lease is claimed before it is due)', async () => {
    const created: string[] = [];
    const s = setup({ onNewGroup: (k) => created.push(k) });
    s.d.start();
    s.push({ alertname: 'A', i: '1' });
    s.push({ alertname: 'A', i: '2' });
    s.push({ alertname: 'B' });
    expect(created).toEqual(['{}:{alertname="A"}', '{}:{alertname="B"}']);
    s.d.stop();
  });

  test("onFirstFlush hears when each new group's first flush is due, with its receiver's integrations (HA: claimed ahead)", async () => {
    const due: [string, readonly IntegrationRef[], number][] = [];
    const s = setup({ onFirstFlush: (k, refs, delay) => due.push([k, refs, delay]) });
    s.d.start();
    s.push({ alertname: 'A', i: '1' });
    s.push({ alertname: 'A', i: '2' });
    // an alert that started before group_wait ago: its new group flushes at once
    s.push({ alertname: 'B' }, { startsAt: Date.now() - 5000 });
    const ref = { groupName: 'r', integration: 'webhook', idx: 0 };
    expect(due).toEqual([
      ['{}:{alertname="A"}', [ref], 1000],
      ['{}:{alertname="B"}', [ref], 0],
    ]);
    await tick(1000);
    expect(s.sent).toHaveLength(2);
    s.push({ alertname: 'A', i: '3' }); // joins a group that flushed: no first flush
    expect(due).toHaveLength(2);
    s.d.stop();
  });

  test('separate groups per group_by value; one timer per group, not per alert', async () => {
    const s = setup();
    s.d.start();
    s.push({ alertname: 'A', i: '1' });
    s.push({ alertname: 'A', i: '2' });
    s.push({ alertname: 'B' });
    expect(s.d.groupCount).toBe(2);
    expect(jest.getTimerCount()).toBe(2);
    await tick(1000);
    expect(s.sent.map((x) => x.alerts.map((a) => a.name).join(','))).toEqual(['A,A', 'B']);
    expect(await s.registry.getSingleMetricAsString('alertmanager_dispatcher_aggregation_groups')).toContain('alertmanager_dispatcher_aggregation_groups 2');
    s.d.stop();
  });

  test('group_by of several labels: the same values share a group; a missing label, an empty value or values that would join alike do not', async () => {
    const s = setup({ route: { group_by: ['alertname', 'team'] } });
    s.d.start();
    s.push({ alertname: 'A', team: 'x', i: '1' });
    s.push({ alertname: 'A', team: 'x', i: '2' });
    s.push({ alertname: 'A', i: '3' });
    s.push({ alertname: 'A', team: '', i: '4' });
    s.push({ alertname: 'A', i: '5' });
    s.push({ alertname: 'A-', team: '+1:x', i: '6' });
    s.push({ alertname: 'A-+1:x', i: '7' });
    const groups = [...s.d.groups()].map((g) => [g.labelsString, g.size]);
    expect(groups).toEqual([
      ['{alertname="A", team="x"}', 2],
      ['{alertname="A"}', 2],
      ['{alertname="A", team=""}', 1],
      ['{alertname="A-", team="+1:x"}', 1],
      ['{alertname="A-+1:x"}', 1],
    ]);
    s.d.stop();
  });

  test('an unchanged group is re-sent only after repeat_interval, rounded up to group_interval', async () => {
    const s = setup({ route: { repeat_interval: 12_000 } });
    s.d.start();
    s.push({ alertname: 'A' });
    await tick(1000); // flush at 1
    await tick(15_000); // ticks at 6, 11, 16: 16-1 >= 12 only at 16
    expect(s.sent.map((x) => x.t)).toEqual([1, 16]);
    expect(s.sent[1]!.reason).toBe('repeat interval elapsed');
    s.d.stop();
  });

  test('resolved alerts are sent with send_resolved and the emptied group is removed', async () => {
    const s = setup();
    s.d.start();
    s.push({ alertname: 'A' }, { endsAt: Date.now() + 3000 });
    await tick(1000);
    await tick(5000); // flush at 6: resolved at 3
    expect(s.sent).toHaveLength(2);
    expect(s.sent[1]).toMatchObject({ t: 6, reason: 'all alerts resolved', alerts: [{ name: 'A', resolved: true }] });
    expect(s.d.groupCount).toBe(0);
    // a re-firing alert starts a new group with a fresh group_wait
    s.push({ alertname: 'A' });
    expect(s.d.groupCount).toBe(1);
    // and the next alert of its labels joins that new group
    s.push({ alertname: 'A', i: 'other' });
    expect(s.d.groupCount).toBe(1);
    expect([...s.d.groups()][0]!.size).toBe(2);
    await tick(999);
    expect(s.sent).toHaveLength(2);
    await tick(1);
    expect(s.sent).toHaveLength(3);
    expect(s.sent[2]!.reason).toBe('first notification');
    s.d.stop();
  });

  test('a re-sent alert goes to the groups it went to without routing again, until they let it go', async () => {
    const s = setup({
      route: {
        routes: [route({ receiver: 'r', matchers: [eq('team', 'x')], continue: true }), route({ receiver: 'r', matchers: [eq('team', 'x')] })],
      },
    });
    s.d.start();
    const match = jest.spyOn(s.d.route, 'match');
    const labels = { alertname: 'A', team: 'x' };
    s.push(labels, { endsAt: Date.now() + 3000 });
    const first = [...s.d.groups()];
    s.push(labels, { endsAt: Date.now() + 3000 });
    expect(match).toHaveBeenCalledTimes(1);
    expect([...s.d.groups()]).toEqual(first);
    await tick(1000);
    s.push({ ...labels }, { endsAt: Date.now() + 2000 });
    expect(match).toHaveBeenCalledTimes(1);
    for (const g of first) expect([...g.alerts()].map((a) => a.updatedAt)).toEqual([Date.now()]);
    await tick(5000); // resolved at 3, flushed at 6: both groups removed
    expect(s.d.groupCount).toBe(0);
    s.push(labels);
    expect(match).toHaveBeenCalledTimes(2);
    expect(s.d.groupCount).toBe(2);
    for (const g of s.d.groups()) expect(first).not.toContain(g);
    s.d.stop();
  });

  test('send_resolved=false: resolution is logged but not sent', async () => {
    const s = setup({ sendResolved: false });
    s.d.start();
    s.push({ alertname: 'A', i: '1' }, { endsAt: Date.now() + 3000 });
    s.push({ alertname: 'A', i: '2' });
    await tick(1000);
    await tick(5000);
    // i=1 resolved, i=2 still firing: nothing new for a send_resolved=false integration
    expect(s.sent).toHaveLength(1);
    s.d.stop();
  });

  test('resolve timeout: an alert that is not re-sent resolves at endsAt and is notified as resolved', async () => {
    const s = setup({ route: { group_interval: 2000 } });
    s.d.start();
    s.push({ alertname: 'A' }, {}); // endsAt = now + 300s (resolve_timeout)
    await tick(1000);
    await tick(300_000);
    const last = s.sent[s.sent.length - 1]!;
    expect(last.alerts[0]!.resolved).toBe(true);
    expect(last.t).toBeGreaterThanOrEqual(301);
    expect(last.t).toBeLessThanOrEqual(303);
    s.d.stop();
  });

  test('an alert that started more than group_wait ago is flushed at once; later old alerts do not shorten the wait', async () => {
    const s = setup({ route: { group_wait: 10_000 } });
    s.d.start();
    s.push({ alertname: 'A', i: '1' });
    await tick(2000);
    s.push({ alertname: 'A', i: '2' }, { startsAt: Date.now() - 60_000 });
    await tick(7000);
    expect(s.sent).toHaveLength(0);
    await tick(1000);
    expect(s.sent).toHaveLength(1);
    s.push({ alertname: 'B' }, { startsAt: Date.now() - 60_000 });
    await tick(0);
    expect(s.sent).toHaveLength(2);
    s.d.stop();
  });

  test('restart: a group notified before the restart waits for its group_interval, not a fresh group_wait', async () => {
    const s = setup({ route: { group_wait: 1000, group_interval: 60_000, repeat_interval: 3600_000 } });
    s.d.start();
    s.push({ alertname: 'A' });
    await tick(1000);
    expect(s.sent).toHaveLength(1);
    await tick(10_000);
    s.d.stop();
    // new dispatcher over the same store + nflog (restart / reload)
    const s2 = setup({ route: { group_wait: 1000, group_interval: 60_000, repeat_interval: 3600_000 }, nflog: s.nflog, t0: s.t0 });
    for (const a of s.provider.all()) s2.provider.put([a]);
    s2.push({ alertname: 'A', i: 'new' });
    s2.d.start();
    await tick(49_999);
    expect(s2.sent).toHaveLength(0);
    await tick(1);
    expect(s2.sent).toHaveLength(1);
    expect(s2.sent[0]!.t).toBe(61);
    expect(s2.sent[0]!.reason).toBe('new alerts added');
    s2.d.stop();
  });

  test('continue: an alert goes to every matching route, each with its own group', async () => {
    const s = setup({
      route: {
        routes: [route({ receiver: 'r', matchers: [eq('team', 'x')], continue: true }), route({ receiver: 'r', matchers: [eq('team', 'x')] })],
      },
    });
    s.d.start();
    s.push({ alertname: 'A', team: 'x' });
    expect(s.d.groupCount).toBe(2);
    expect(s.d.receiversFor({ alertname: 'A', team: 'x' })).toEqual(['r', 'r']);
    expect([...s.d.groups()].map((g) => g.groupKey)).toEqual(['{}/{team="x"}:{alertname="A"}', '{}/{team="x"}:{alertname="A"}']);
    await tick(1000);
    // both groups share the group key, so the nflog dedups the second one (as upstream)
    expect(s.sent).toHaveLength(1);
    s.d.stop();
  });

  test('mute_time_intervals: muted flushes send nothing and record mutedBy on the group; unmuted flushes send', async () => {
    let muted = true;
    const s = setup({ route: { mute_time_intervals: ['night'] }, isActive: () => muted });
    s.d.start();
    s.push({ alertname: 'A' });
    await tick(1000);
    expect(s.sent).toHaveLength(0);
    expect([...s.d.groups()][0]!.mutedBy).toEqual(['night']);
    muted = false;
    await tick(5000);
    expect(s.sent).toHaveLength(1);
    expect([...s.d.groups()][0]!.mutedBy).toEqual([]);
    s.d.stop();
  });

  test('active_time_intervals: outside every active interval nothing is sent', async () => {
    let active = false;
    const s = setup({ route: { active_time_intervals: ['night'] }, isActive: () => active });
    s.d.start();
    s.push({ alertname: 'A' });
    await tick(1000);
    expect(s.sent).toHaveLength(0);
    expect([...s.d.groups()][0]!.mutedBy).toEqual(['night']);
    active = true;
    await tick(5000);
    expect(s.sent).toHaveLength(1);
    s.d.stop();
  });

  test('a failed flush keeps resolved alerts (no nflog entry) and they are sent at the next flush', async () => {
    const failing = { on: false };
    const s = setup({ failing });
    s.d.start();
    s.push({ alertname: 'A' }, { endsAt: Date.now() + 2000 });
    await tick(1000);
    expect(s.sent).toHaveLength(1);
    failing.on = true;
    await tick(5000); // flush at 6 fails
    expect(s.d.groupCount).toBe(1);
    failing.on = false;
    await tick(5000); // flush at 11 re-sends the resolution
    expect(s.sent).toHaveLength(2);
    expect(s.sent[1]).toMatchObject({ t: 11, reason: 'all alerts resolved' });
    expect(s.d.groupCount).toBe(0);
    s.d.stop();
  });

  test('a group hands back the alerts it drops; those GC\'d from the store meanwhile are announced as deleted again', async () => {
    const s = setup();
    const deleted: string[][] = [];
    s.provider.onDelete((fps) => deleted.push([...fps]));
    s.d.start();
    s.push({ alertname: 'A', i: '1' }, { endsAt: Date.now() + 2000 });
    s.push({ alertname: 'A', i: '2' }, { endsAt: Date.now() + 2000 });
    await tick(1000); // firing sent
    const [gone, kept] = [...s.provider.all()].map((a) => a.fingerprint) as [string, string];
    await tick(2000);
    s.provider.remove([gone]); // the alert GC removes one of the two resolved alerts; the group still holds both
    expect(deleted).toEqual([[gone]]);
    await tick(3000); // flush at 6: resolved sent, both dropped; only the one no longer stored is announced
    expect(s.sent).toHaveLength(2);
    expect(s.d.groupCount).toBe(0);
    expect(deleted).toEqual([[gone], [gone]]);
    expect(s.provider.get(kept)).toBeDefined();
    s.d.stop();
  });

  test('stop() hands back what a group still held (a reload rebuilds groups from the store)', async () => {
    const failing = { on: false };
    const s = setup({ failing });
    const deleted: string[][] = [];
    s.provider.onDelete((fps) => deleted.push([...fps]));
    s.d.start();
    s.push({ alertname: 'A' }, { endsAt: Date.now() + 2000 });
    await tick(1000); // firing sent
    failing.on = true;
    await tick(5000); // the resolved notification fails: the group keeps the resolved alert
    const fp = [...s.provider.all()][0]!.fingerprint;
    s.provider.remove([fp]);
    expect(s.d.groupCount).toBe(1);
    s.d.stop();
    expect(deleted).toEqual([[fp], [fp]]);
  });
});

describe('Dispatcher with replicas (issue 13): only the owner sends; a non-owner keeps resolved alerts for a takeover', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_700_000_000_000, doNotFake: ['nextTick', 'queueMicrotask'] }));
  afterEach(() => jest.useRealTimers());

  test('a group resolved while owned elsewhere is still resolved by this replica after it takes the group over', async () => {
    const own = { on: false };
    const s = setup({
      route: { group_interval: 2000 },
      // the shared log's claim: refuse while another replica owns the group (nothing sent here)
      log: (n) => ({
        query: (g, r) => n.query(g, r),
        log: (...a) => n.log(...a),
        claim: async (g, r, decide) => {
          if (!own.on) return undefined;
          const entry = n.query(g, r);
          const reason = decide(entry);
          return reason ? { entry, reason } : undefined;
        },
      }),
      keepResolvedFor: () => (own.on ? 0 : 10_000),
    });
    // the previous owner's notification of the firing alert, as read from the shared store
    s.nflog.log({ groupName: 'r', integration: 'webhook', idx: 0 }, '{}:{alertname="A"}', [], [], 60_000);
    s.d.start();
    s.push({ alertname: 'A' });
    await tick(1500);
    expect(s.sent).toEqual([]); // not ours
    const fp = [...s.provider.all()][0]!.fingerprint;
    s.nflog.apply({ ...s.nflog.query('{}:{alertname="A"}', { groupName: 'r', integration: 'webhook', idx: 0 })!, firingAlerts: [fp] });
    s.push({ alertname: 'A' }, { endsAt: s.clock.now() });
    await tick(4000); // two flushes as a non-owner: the resolved alert stays in the group
    expect(s.sent).toEqual([]);
    expect(s.d.groupCount).toBe(1);
    own.on = true; // the owner died, this replica took the group over
    await tick(2000);
    expect(s.sent.map((x) => x.reason)).toEqual(['all alerts resolved']);
    expect(s.d.groupCount).toBe(0);
    s.d.stop();
  });
});
