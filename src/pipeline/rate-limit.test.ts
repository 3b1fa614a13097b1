/**
 * Storm control (issue 15) on a fake clock: the real Dispatcher, pipeline, rate limiter and digest, with a
 * recording notifier. A storm of 500 groups to a receiver limited to 10 notifications per minute: at most 10
 * notifications plus one digest in any minute, and every group is named, on its own or in a digest.
 */
import { Registry } from 'prom-client';
import { mkAlert, route } from '../../test/acceptance/support/fixtures';
import { MemProvider } from '../../test/acceptance/support/mem-provider';
import type { HistoryEvent } from '../history/event';
import { Nflog } from '../nflog/nflog';
import { Dispatcher } from '../routing/dispatcher';
import { FlushSlices } from '../routing/flush-slices';
import { buildRouteTree } from '../routing/route';
import type { Alert } from '../types/alert';
import { NotifyError } from '../types/errors';
import { systemClock } from '../types/clock';
import { silentLogger } from '../types/logger';
import type { TocsinConfig } from '../types/tocsin-config';
import { deliveryMetrics } from './delivery-metrics';
import { DIGEST_GROUP_ANNOTATION, DIGEST_LABEL, digestContent } from './digest';
import { buildPipeline } from './pipeline-builder';
import { RateLimits } from './rate-limit';
import { ManualClock } from '../../test/helpers/manual-clock';
import { notifyContext } from '../../test/helpers/notify-context';
import type { Integration, NotifyContext } from './types';

const MIN = 60_000;
const T0 = 1_700_000_000_000;

interface Sent {
  t: number;
  digest: boolean;
  groupKey: string;
  /** instances named: the group's own, or every one a digest names */
  instances: string[];
  /** `<instance>[/<disk>][ resolved]` of each alert sent */
  alerts: string[];
  resolved: number;
}

function setup(rateLimit: { max: number; window: number } | null = { max: 10, window: MIN }, groupInterval = 30_000) {
  const clock = systemClock;
  const sent: Sent[] = [];
  const events: HistoryEvent[] = [];
  const history = { record: (e: HistoryEvent) => events.push(e), committed: async () => undefined };
  const notifier = {
    async notify(ctx: NotifyContext, alerts: readonly Alert[]) {
      const digest = ctx.groupLabels[DIGEST_LABEL] !== undefined;
      sent.push({
        t: clock.now() - T0,
        digest,
        groupKey: ctx.groupKey,
        alerts: alerts.map((a) => `${a.labels.instance}${a.labels.disk ? `/${a.labels.disk}` : ''}${a.endsAt !== 0 && a.endsAt <= ctx.now ? ' resolved' : ''}`),
        instances: digest ? alerts.flatMap((a) => [...(a.annotations[DIGEST_GROUP_ANNOTATION] ?? '').matchAll(/instance="([^"]+)"/g)].map((m) => m[1]!)) : [ctx.groupLabels.instance!],
        resolved: alerts.filter((a) => a.endsAt !== 0 && a.endsAt <= ctx.now).length,
      });
    },
  };
  const integration: Integration = { name: 'webhook', index: 0, sendResolved: true, notifier };
  const tocsin: TocsinConfig = { receivers: { pager: { resolved_after_mute: false, ...(rateLimit ? { rate_limit: rateLimit } : {}), escalation: [] } }, silences: { expire_unmatched_after: 0, warn_mute_share: 0 } };
  const nflog = new Nflog({ clock });
  const registry = new Registry();
  const rateLimits = new RateLimits(clock);
  const build = () =>
    buildPipeline({ receivers: new Map([['pager', [integration]]]), timeIntervals: { specs: new Map(), isActive: () => false }, nflog, clock, tocsin, rateLimits, deliveryMetrics: deliveryMetrics(registry) });
  const provider = new MemProvider(clock);
  const dispatcher = (stages: ReturnType<typeof build>) =>
    new Dispatcher({
      slices: new FlushSlices(50, () => Date.now()),
      route: buildRouteTree(route({ receiver: 'pager', group_by: ['instance'], group_wait: 1000, group_interval: groupInterval, repeat_interval: 3600_000 })),
      alerts: provider,
      stages,
      clock,
      logger: silentLogger(),
      history,
      nflog,
      integrationRefs: new Map([['pager', [{ groupName: 'pager', integration: 'webhook', idx: 0 }]]]),
    });
  const push = (instance: string, endsAt?: number, disk?: string) => {
    const now = clock.now();
    provider.put([mkAlert({ alertname: 'NodeDown', instance, ...(disk ? { disk } : {}) }, { startsAt: now, endsAt: endsAt ?? now + 3600_000, updatedAt: now })]);
  };
  const metric = async (name: string) => ((await registry.getSingleMetric(name)?.get())?.values ?? []).reduce((n, v) => n + v.value, 0);
  return { sent, events, build, dispatcher, push, metric, rateLimits, nflog };
}

/** The pipeline of receiver `pager` (one webhook with send_resolved calling `notify`) limited to 1 per minute. */
function oneAWindow(clock: ManualClock, notify: Integration['notifier']['notify']) {
  const rateLimits = new RateLimits(clock);
  const stage = buildPipeline({
    receivers: new Map([['pager', [{ name: 'webhook', index: 0, sendResolved: true, notifier: { notify } }]]]),
    timeIntervals: { specs: new Map(), isActive: () => false },
    nflog: new Nflog({ clock }),
    clock,
    rateLimits,
    tocsin: { receivers: { pager: { resolved_after_mute: false, rate_limit: { max: 1, window: MIN }, escalation: [] } }, silences: { expire_unmatched_after: 0, warn_mute_share: 0 } },
  }).get('pager')!;
  return { stage, rateLimits };
}

const tick = (ms: number) => jest.advanceTimersByTimeAsync(ms);

/** the most entries of `times` in any half-open window (t - w, t] */
function maxInWindow(times: number[], w: number): number {
  let best = 0;
  for (const t of times) best = Math.max(best, times.filter((x) => x > t - w && x <= t).length);
  return best;
}

describe('rate_limit (storm control)', () => {
  beforeEach(() => jest.useFakeTimers({ now: T0, doNotFake: ['nextTick', 'queueMicrotask'] }));
  afterEach(() => jest.useRealTimers());

  test('a storm of 500 groups, 10 per minute: at most 10 notifications plus one digest in any minute, every group named', async () => {
    const s = setup();
    const d = s.dispatcher(s.build());
    d.start();
    // 300 groups at once, then 200 more over four minutes (one every 1.2 s)
    for (let i = 0; i < 300; i++) s.push(`n${i}`);
    for (let i = 300; i < 500; i++) {
      await tick(1200);
      s.push(`n${i}`);
    }
    await tick(10 * MIN);
    d.stop();
    s.rateLimits.stop();
    if (process.env.STORM_STATS) console.log(s.sent.map((x) => `${x.t / 1000}s ${x.digest ? `digest of ${x.instances.length}` : x.instances[0]}`).join('\n'));

    const own = s.sent.filter((x) => !x.digest);
    const digests = s.sent.filter((x) => x.digest);
    expect(maxInWindow(own.map((x) => x.t), MIN)).toBeLessThanOrEqual(10);
    expect(maxInWindow(digests.map((x) => x.t), MIN)).toBeLessThanOrEqual(1);
    expect(own.length).toBeGreaterThan(0);
    expect(digests.length).toBeGreaterThan(1);
    // every group named exactly once: on its own or in one digest (a digest counts as its notification)
    const named = [...own.flatMap((x) => x.instances), ...digests.flatMap((x) => x.instances)].sort();
    expect(new Set(named).size).toBe(500);
    expect(named).toHaveLength(500);
    // the history says which group was folded into which digest, and the digest names the same groups
    const folded = new Map<string, string>();
    for (const e of s.events) if (e.kind === 'notification_folded') folded.set(e.groupKey!, e.data!.digest as string);
    const sentDigests = s.events.filter((e) => e.kind === 'digest_sent');
    expect(sentDigests).toHaveLength(digests.length);
    const inDigests = sentDigests.flatMap((e) => (e.data!.groups as string[]).map((g) => [g, e.data!.digest]));
    expect(new Map(inDigests as [string, string][])).toEqual(folded);
    expect(sentDigests.every((e) => e.data!.outcome === 'success')).toBe(true);
    expect(await s.metric('tocsin_digests_sent_total')).toBe(digests.length);
    expect(await s.metric('tocsin_notifications_folded_total')).toBeGreaterThanOrEqual(folded.size);
  });

  test('without rate_limit every group is notified on its own', async () => {
    const s = setup(null);
    const d = s.dispatcher(s.build());
    d.start();
    for (let i = 0; i < 50; i++) s.push(`n${i}`);
    await tick(2 * MIN);
    d.stop();
    expect(s.sent.filter((x) => x.digest)).toHaveLength(0);
    expect(s.sent).toHaveLength(50);
    expect(s.rateLimits.get('pager')).toBeUndefined();
  });

  test('the limit and the pending digest survive a rebuild of the pipeline (a reload)', async () => {
    const s = setup({ max: 2, window: MIN });
    let d = s.dispatcher(s.build());
    d.start();
    for (let i = 0; i < 5; i++) s.push(`n${i}`);
    await tick(2000);
    expect(s.sent).toHaveLength(2);
    expect(s.rateLimits.get('pager')!.state(Date.now())).toMatchObject({ max: 2, sentInWindow: 2, folded: 3 });
    d.stop();
    d = s.dispatcher(s.build());
    d.start();
    s.push('n5');
    await tick(2000);
    expect(s.sent).toHaveLength(2); // still over the limit after the reload
    await tick(MIN);
    const digest = s.sent.find((x) => x.digest)!;
    expect(digest.instances.sort()).toEqual(['n2', 'n3', 'n4', 'n5']);
    d.stop();
    s.rateLimits.stop();
  });

  test('a digest mixing firing and resolved groups says so and names each group', () => {
    const now = T0;
    const g = (instance: string, endsAt: number) => ({
      groupKey: `{}:{instance="${instance}"}`,
      groupLabels: { instance },
      alerts: [mkAlert({ alertname: 'X', instance }, { startsAt: now - 10, endsAt })],
      repeatInterval: MIN,
      reason: 'first notification' as const,
      ids: [],
    });
    const c = digestContent([g('a', now + MIN), g('b', now - 1), g('c', now + MIN)], now);
    expect(c.groupLabels).toEqual({ [DIGEST_LABEL]: '3 more groups (2 firing, 1 resolved)' });
    expect(c.summary).toBe('3 more groups (2 firing, 1 resolved): {instance="a"}, {instance="b"}, {instance="c"}');
    expect(c.alerts.every((a) => a.annotations[DIGEST_LABEL] === c.summary)).toBe(true);
    expect(c.alerts.map((a) => a.annotations[DIGEST_GROUP_ANNOTATION])).toEqual(['{instance="a"}', '{instance="b"}', '{instance="c"}']);
  });

  test('the summary lists the first 10 group names, every alert names its own group; the payload grows linearly', () => {
    const groups = Array.from({ length: 500 }, (_, i) => ({
      groupKey: `{}:{instance="n${i}"}`,
      groupLabels: { instance: `n${i}` },
      alerts: [mkAlert({ alertname: 'X', instance: `n${i}` }, { startsAt: T0 - 10, endsAt: T0 + MIN })],
      repeatInterval: MIN,
      reason: 'first notification' as const,
      ids: [],
    }));
    const c = digestContent(groups, T0);
    expect(c.summary).toMatch(/^500 more groups firing: \{instance="n0"\}, .*\{instance="n9"\}, … \(490 more\)$/);
    expect(new Set(c.alerts.map((a) => a.annotations[DIGEST_GROUP_ANNOTATION])).size).toBe(500);
    expect(c.summary.length).toBeLessThan(300);
  });

  test('with resolved_after_mute, a muted resolved alert folded into a digest goes only to the integration that was told it fires', async () => {
    const clock = systemClock;
    const got: Record<string, string[][]> = { a: [], b: [] };
    const integ = (name: 'a' | 'b', index: number, sendResolved: boolean): Integration => ({
      name: 'webhook',
      index,
      sendResolved,
      notifier: { notify: async (_ctx, alerts) => void got[name]!.push(alerts.map((x) => x.labels.alertname!)) },
    });
    const nflog = new Nflog({ clock });
    const x = mkAlert({ alertname: 'X' }, { startsAt: T0 - MIN, endsAt: T0 - 1 });
    const y = mkAlert({ alertname: 'Y' }, { startsAt: T0 - MIN, endsAt: T0 + MIN });
    const refA = { groupName: 'pager', integration: 'webhook', idx: 0 };
    nflog.log(refA, 'g1', [x.fingerprint], [], 3600_000);
    nflog.log({ ...refA, idx: 1 }, 'g1', [x.fingerprint], [], 3600_000);
    const events: HistoryEvent[] = [];
    const rateLimits = new RateLimits(clock);
    const stages = buildPipeline({
      receivers: new Map([['pager', [integ('a', 0, true), integ('b', 1, false)]]]),
      timeIntervals: { specs: new Map(), isActive: () => false },
      silencer: { mutes: (l) => l.alertname === 'X' },
      nflog,
      clock,
      rateLimits,
      tocsin: { receivers: { pager: { resolved_after_mute: true, rate_limit: { max: 1, window: MIN }, escalation: [] } }, silences: { expire_unmatched_after: 0, warn_mute_share: 0 } },
    });
    const ctx = (groupKey: string) =>
      ({ ...notifyContext({ receiver: 'pager', groupKey, now: clock.now() }), history: { record: (e: HistoryEvent) => events.push(e), committed: async () => undefined } }) as NotifyContext;
    await stages.get('pager')!.exec(ctx('g0'), [y]); // the one notification of the window
    await stages.get('pager')!.exec(ctx('g1'), [x]); // folded
    expect(got).toEqual({ a: [['Y']], b: [['Y']] });
    await tick(MIN);
    expect(got).toEqual({ a: [['Y'], ['X']], b: [['Y']] });
    const ram = events.filter((e) => e.kind === 'resolved_after_mute');
    expect(ram.map((e) => [e.fingerprint, e.data!.mutedBy, typeof e.data!.digest])).toEqual([[x.fingerprint, 'silenced', 'string']]);
    expect(nflog.query('g1', refA)).toMatchObject({ firingAlerts: [], resolvedAlerts: [x.fingerprint] });
    rateLimits.stop();
  });

  test('a group in the pending digest is not sent on its own when the window frees up before the digest goes out', async () => {
    const clock = new ManualClock(T0);
    const sent: string[] = [];
    const { stage } = oneAWindow(clock, async (ctx) => void sent.push(ctx.groupKey));
    const a = mkAlert({ alertname: 'A' }, { startsAt: T0 - 10, endsAt: T0 + 10 * MIN });
    const flush = (groupKey: string) => stage.exec(notifyContext({ receiver: 'pager', groupKey, now: clock.now() }), [a]);
    await flush('g0');
    await flush('g1');
    expect(sent).toEqual(['g0']);
    // the window of g0 ends; g1 flushes again before the digest timer runs
    clock.t = T0 + MIN;
    await flush('g1');
    expect(sent).toEqual(['g0']);
    clock.advance(0);
    await tick(0);
    expect(sent).toEqual(['g0', 'tocsin_digest:pager']);
  });

  test('an alert that resolves in a folded group, dropped by the group before the digest, is still in the digest', async () => {
    // flushes at 1 s, 11 s, 21 s, ...; the digest at 61 s
    const s = setup({ max: 1, window: MIN }, 10_000);
    const d = s.dispatcher(s.build());
    d.start();
    s.push('n0');
    s.push('n1', undefined, 'a');
    s.push('n1', Date.now() + 5000, 'b'); // folded resolved at 11 s, then dropped by the group: not in the 21 s fold
    await tick(2 * MIN);
    d.stop();
    s.rateLimits.stop();
    const digests = s.sent.filter((x) => x.digest);
    expect(digests).toHaveLength(1);
    expect(digests[0]!.alerts.sort()).toEqual(['n1/a', 'n1/b resolved']);
    // and logged: the group's next flushes need nothing more
    expect(s.sent.filter((x) => !x.digest).map((x) => x.instances[0])).toEqual(['n0']);
  });

  test('a digest no integration took goes into the next window\'s digest', async () => {
    const clock = new ManualClock(T0);
    const sent: string[] = [];
    let down = true;
    const notify = async (ctx: NotifyContext, alerts: readonly Alert[]) => {
      if (down && ctx.groupKey === 'tocsin_digest:pager') throw new NotifyError('unexpected status code 503', { retryable: false, reason: 'serverError', status: 503 });
      sent.push(`${ctx.groupKey} ${alerts.map((a) => a.labels.alertname).join(',')}`);
    };
    const events: HistoryEvent[] = [];
    const { stage, rateLimits } = oneAWindow(clock, notify);
    const history = { record: (e: HistoryEvent) => events.push(e), committed: async () => undefined };
    const flush = (groupKey: string, name: string) =>
      stage.exec({ ...notifyContext({ receiver: 'pager', groupKey, now: clock.now() }), history }, [mkAlert({ alertname: name }, { startsAt: T0 - 10, endsAt: T0 + 10 * MIN })]);
    await flush('g0', 'A');
    await flush('g1', 'B'); // folded
    clock.advance(MIN);
    await tick(0);
    expect(sent).toEqual(['g0 A']);
    const failed = events.find((e) => e.kind === 'digest_sent')!;
    expect(failed.data).toMatchObject({ outcome: 'failure', groups: ['g1'] });
    // the receiver is back: the next window's digest carries g1
    down = false;
    clock.advance(MIN);
    await tick(0);
    expect(sent).toEqual(['g0 A', 'tocsin_digest:pager B']);
    const refolded = events.filter((e) => e.kind === 'notification_folded').map((e) => e.data!.retryOf);
    expect(refolded).toEqual([undefined, failed.data!.digest]);
    rateLimits.stop();
  });
});
