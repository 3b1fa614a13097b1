import { mkAlert } from '../../test/acceptance/support/fixtures';
import { notifyContext } from '../../test/helpers/notify-context';
import { Nflog } from '../nflog/nflog';
import type { Alert } from '../types/alert';
import { systemClock } from '../types/clock';
import { NotifyError } from '../types/errors';
import { Registry } from 'prom-client';
import { FanoutStage, MultiStage, stageFunc } from './combinators';
import { DedupStage, needsUpdate } from './dedup-stage';
import { notifyMetrics } from './metrics';
import { buildPipeline } from './pipeline-builder';
import { MuteStage } from './mute-stage';
import { backoffDelay, DEFAULT_BACKOFF, RetryStage } from './retry-stage';
import { SetNotifiesStage } from './set-notifies-stage';
import { TimeActiveStage } from './time-active-stage';
import { TimeMuteStage } from './time-mute-stage';
import type { Integration, NflogEntry, NotifyContext } from './types';
import { integrationTypes } from '../notifiers/index';

const MIN = 60_000;
const NOW = 1_700_000_000_000;

function entry(firing: string[], resolved: string[], timestamp = NOW - MIN): NflogEntry {
  return { groupKey: 'g', receiver: { groupName: 'r', integration: 'webhook', idx: 0 }, timestamp, firingAlerts: firing, resolvedAlerts: resolved, expiresAt: NOW + MIN };
}

function ctx(o: Partial<NotifyContext> = {}): NotifyContext {
  return notifyContext(o);
}

/** webhook[0] (send_resolved) whose notify is `notify`. */
function webhook(notify: () => Promise<void>): Integration {
  return { name: 'webhook', index: 0, sendResolved: true, notifier: { notify } };
}

describe('needsUpdate (upstream notify_test.go facts)', () => {
  test.each([
    ['no entry, firing', undefined, ['1'], [], false, 'first notification'],
    ['no entry, only resolved', undefined, [], ['1'], true, undefined],
    ['new firing alert', entry(['1', '2', '3'], []), ['2', '3', '4'], [], false, 'new alerts added'],
    ['entry with empty firing, now firing', entry([], ['1']), ['2'], [], false, 'first notification'],
    ['same firing, 1m ago, repeat 10m', entry(['1'], []), ['1'], [], false, undefined],
    ['same firing, zero timestamp', entry(['1'], [], 0), ['1'], [], false, 'repeat interval elapsed'],
    ['same firing, 11m ago', entry(['1'], [], NOW - 11 * MIN), ['1'], [], false, 'repeat interval elapsed'],
    ['only resolved before and now, send_resolved', entry([], ['1', '2', '3']), [], ['3', '4', '5'], true, undefined],
    ['F={1} R={2,3} after {F=1,2;R=3}, send_resolved=false', entry(['1', '2'], ['3']), ['1'], ['2', '3'], false, undefined],
    ['F={1} R={2,3} after {F=1,2;R=3}, send_resolved=true', entry(['1', '2'], ['3']), ['1'], ['2', '3'], true, 'some alerts resolved'],
    ['all resolved, send_resolved=false', entry(['1', '2'], ['3']), [], ['1', '2', '3'], false, 'all alerts resolved'],
    ['all resolved, send_resolved=true', entry(['1', '2'], ['3']), [], ['1', '2', '3'], true, 'all alerts resolved'],
    ['firing subset disappears (silenced)', entry(['1', '2'], []), ['1'], [], true, undefined],
  ])('%s', (_n, e, firing, resolved, sendResolved, want) => {
    expect(needsUpdate(e as NflogEntry | undefined, firing as string[], resolved as string[], sendResolved as boolean, 10 * MIN, NOW)).toBe(want);
  });
});

describe('stages', () => {
  beforeEach(() => jest.useFakeTimers({ now: NOW }));
  afterEach(() => jest.useRealTimers());
  const a1 = mkAlert({ alertname: 'A' }, { startsAt: NOW - 1000 });
  const a2 = mkAlert({ alertname: 'B' }, { startsAt: NOW - 1000, endsAt: NOW - 10 });

  test('MuteStage drops muted alerts and counts suppressed notifications', async () => {
    const reg = new Registry();
    const m = notifyMetrics(reg);
    const s = new MuteStage({ mutes: (l) => l.alertname === 'A' }, 'silence', m);
    const r = await s.exec(ctx(), [a1, a2]);
    expect(r.alerts).toEqual([a2]);
    expect(await reg.getSingleMetricAsString('alertmanager_notifications_suppressed_total')).toContain('reason="silence"} 1');
  });

  test('TimeActiveStage / TimeMuteStage drop everything and record mutedBy', async () => {
    const ti = { specs: new Map([['work', []], ['night', []]]), isActive: (_s: unknown, t: number) => t === NOW };
    let muted: readonly string[] = [];
    const c = ctx({ now: NOW, activeTimeIntervals: ['work'], setMutedBy: (n) => (muted = n) });
    expect((await new TimeActiveStage(ti).exec(c, [a1])).alerts).toEqual([a1]);
    const later = ctx({ now: NOW + 1, activeTimeIntervals: ['work', 'night'], setMutedBy: (n) => (muted = n) });
    expect((await new TimeActiveStage(ti).exec(later, [a1])).alerts).toEqual([]);
    expect(muted).toEqual(['work', 'night']);
    const mc = ctx({ now: NOW, muteTimeIntervals: ['night', 'unknown'], setMutedBy: (n) => (muted = n) });
    expect((await new TimeMuteStage(ti).exec(mc, [a1])).alerts).toEqual([]);
    expect(muted).toEqual(['night']);
    expect((await new TimeMuteStage(ti).exec({ ...mc, now: NOW + 5 }, [a1])).alerts).toEqual([a1]);
  });

  test('Dedup + SetNotifies: notify once, then not again until something changes', async () => {
    const nflog = new Nflog({ clock: systemClock });
    const recv = { groupName: 'r', integration: 'webhook', idx: 0 };
    let sent = 0;
    const p = new MultiStage([new DedupStage(nflog, recv, true), stageFunc((c, as) => {
        sent += 1;
        return { ctx: c, alerts: as };
      }), new SetNotifiesStage(nflog, recv)]);
    await p.exec(ctx(), [a1]);
    await p.exec(ctx(), [a1]);
    expect(sent).toBe(1);
    await p.exec(ctx(), [a1, a2]);
    expect(sent).toBe(2);
    expect(nflog.query('g', recv)).toMatchObject({ firingAlerts: [a1.fingerprint], resolvedAlerts: [a2.fingerprint] });
  });

  test('SetNotifies waits for the history commit, and logs the send even when the history store fails', async () => {
    const nflog = new Nflog({ clock: systemClock });
    const recv = { groupName: 'r', integration: 'webhook', idx: 0 };
    const order: string[] = [];
    const history = {
      record: () => undefined,
      committed: async () => {
        order.push('history committed');
        throw new Error('disk full');
      },
    };
    const c = (await new DedupStage(nflog, recv, true).exec(ctx({ history }), [a1])).ctx;
    await new SetNotifiesStage(
      {
        query: (k, r) => nflog.query(k, r),
        log: (...args) => {
          order.push('nflog');
          return nflog.log(...args);
        },
      },
      recv,
    ).exec(c, [a1]);
    expect(order).toEqual(['history committed', 'nflog']);
    expect(nflog.query('g', recv)).toMatchObject({ firingAlerts: [a1.fingerprint] });
  });

  test('DedupStage passes on a frozen NotifyContext (it is immutable)', async () => {
    const nflog = new Nflog({ clock: systemClock });
    const recv = { groupName: 'r', integration: 'webhook', idx: 0 };
    const r = await new DedupStage(nflog, recv, true).exec(ctx(), [a1]);
    expect(r.alerts).toEqual([a1]);
    expect(r.ctx.firing).toEqual([a1.fingerprint]);
    expect(Object.isFrozen(r.ctx)).toBe(true);
  });

  test('RetryStage retries retryable errors with backoff and stops on a permanent error', async () => {
    const reg = new Registry();
    const m = notifyMetrics(reg);
    let calls = 0;
    const times: number[] = [];
    const policy = { ...DEFAULT_BACKOFF, random: () => 0.5 };
    const flaky = new RetryStage(
      {
        name: 'webhook',
        index: 0,
        sendResolved: true,
        notifier: {
          async notify() {
            times.push(Date.now() - NOW);
            if (++calls < 3) throw new NotifyError('unexpected status code 500', { retryable: true, reason: 'serverError' });
          },
        },
      },
      systemClock,
      m,
      policy,
    );
    const p = flaky.exec(ctx(), [a1]);
    await jest.advanceTimersByTimeAsync(5000);
    await p;
    expect(times).toEqual([0, 500, 1250]);
    expect(await reg.getSingleMetricAsString('alertmanager_notification_requests_total')).toContain('integration="webhook"} 3');
    expect(await reg.getSingleMetricAsString('alertmanager_notification_requests_failed_total')).toContain('integration="webhook"} 2');

    const perm = new RetryStage(
      { name: 'webhook', index: 1, sendResolved: true, notifier: { notify: async () => Promise.reject(new NotifyError('unexpected status code 400: bad', { retryable: false, reason: 'clientError', status: 400 })) } },
      systemClock,
      m,
    );
    await expect(perm.exec(ctx(), [a1])).rejects.toThrow('r/webhook[1]: notify retry canceled due to unrecoverable error after 1 attempts: unexpected status code 400: bad');
    expect(await reg.getSingleMetricAsString('alertmanager_notifications_failed_total')).toContain('integration="webhook",reason="clientError"} 1');
  });

  test('RetryStage spaces attempts from the start of the previous one, so a slow attempt does not add up', async () => {
    const times: number[] = [];
    const slow = new RetryStage(
      webhook(async () => {
        times.push(Date.now() - NOW);
        // each attempt times out after 400 ms (like a webhook `timeout`), then fails retryably
        await new Promise((r) => setTimeout(r, 400));
        if (times.length < 3) throw new NotifyError('timeout', { retryable: true, reason: 'contextDeadlineExceeded' });
      }),
      systemClock,
      undefined,
      { ...DEFAULT_BACKOFF, random: () => 0.5 },
    );
    const p = slow.exec(ctx(), [a1]);
    await jest.advanceTimersByTimeAsync(5000);
    await p;
    // delays 500 and 750 ms run from each attempt's start; sleeping after the 400 ms attempt would give [0, 900, 2050]
    expect(times).toEqual([0, 500, 1250]);
  });

  test('RetryStage starts attempts when upstream\'s backoff ticker ticks, also when an attempt outlasts its interval', async () => {
    // upstream notify/retry_stage.go: backoff.NewTicker(NewExponentialBackOff()) ticks at once, then draws the next
    // interval when an attempt takes the tick (its start); a tick that falls during an attempt is taken when the
    // attempt ends. So attempt k+1 starts at max(start(k) + interval(k), end(k)).
    const durations = [500, 500, 2000, 0]; // two 500 ms webhook timeouts (TestWebhookTimeout), a slow one, success
    const draws = [0.3, 0.9, 0.1];
    const times: number[] = [];
    const s = new RetryStage(
      webhook(async () => {
        const n = times.push(Date.now() - NOW);
        await new Promise((r) => setTimeout(r, durations[n - 1]));
        if (n < durations.length) throw new NotifyError('configured webhook timeout reached (500ms)', { retryable: true, reason: 'contextDeadlineExceeded' });
      }),
      systemClock,
      undefined,
      { ...DEFAULT_BACKOFF, random: () => draws.shift()! },
    );
    const p = s.exec(ctx(), [a1]);
    await jest.advanceTimersByTimeAsync(10_000);
    await p;
    // intervals 500x0.8=400, 750x1.4=1050, 1125x0.6=675 ms: starts 0, max(400,500), max(500+1050,1000),
    // max(1550+675,3550). Sleeping each interval after the failed attempt gives [0, 900, 2450, 5125]: in
    // TestWebhookTimeout (first attempt at t=2) the third attempt then misses the window [3, 4].
    expect(times).toEqual([0, 500, 1550, 3550]);
  });

  test('backoffDelay: cenkalti/backoff ExponentialBackOff defaults (500 ms x1.5, +-50 %, capped at 60 s)', () => {
    const at = (r: number, n: number) => backoffDelay({ ...DEFAULT_BACKOFF, random: () => r }, n);
    expect([1, 2, 3, 4].map((n) => at(0, n))).toEqual([250, 375, 562.5, 843.75]);
    expect([1, 2, 3, 4].map((n) => at(0.5, n))).toEqual([500, 750, 1125, 1687.5]);
    expect(at(0.5, 20)).toBe(60_000);
    expect(at(0.999, 30)).toBeLessThan(90_000);
  });

  test('RetryStage gives up at the flush deadline', async () => {
    const ac = new AbortController();
    const s = new RetryStage(
      { name: 'webhook', index: 0, sendResolved: true, notifier: { notify: async () => Promise.reject(new NotifyError('unexpected status code 503', { retryable: true, reason: 'serverError' })) } },
      systemClock,
    );
    const p = s.exec(ctx({ signal: ac.signal }), [a1]).catch((e) => e);
    setTimeout(() => ac.abort(new DOMException('deadline', 'TimeoutError')), 10_000);
    await jest.advanceTimersByTimeAsync(10_000);
    const err = await p;
    expect(err.message).toMatch(/^r\/webhook\[0\]: notify retry canceled after \d+ attempts: unexpected status code 503$/);
  });

  test('RetryStage reports the last error seen before the deadline, not the attempt the deadline cut short', async () => {
    const ac = new AbortController();
    let n = 0;
    const s = new RetryStage(
      webhook(async () => {
        if (++n === 1) throw new NotifyError('unexpected status code 503', { retryable: true, reason: 'serverError' });
        // the second attempt is still running at the deadline; the abort fails it
        await new Promise((_r, reject) => ac.signal.addEventListener('abort', () => reject(new NotifyError('context deadline exceeded', { retryable: true, reason: 'contextDeadlineExceeded' }))));
      }),
      systemClock,
      undefined,
      { ...DEFAULT_BACKOFF, random: () => 0.5 },
    );
    const p = s.exec(ctx({ signal: ac.signal }), [a1]).catch((e) => e);
    setTimeout(() => ac.abort(new DOMException('deadline', 'TimeoutError')), 2000);
    await jest.advanceTimersByTimeAsync(2000);
    const err = await p;
    // upstream (notify/retry_stage.go) keeps iErr only while the context is live
    expect(err.message).toBe('r/webhook[0]: notify retry canceled after 2 attempts: unexpected status code 503');
    expect(err.reason).toBe('serverError');
  });

  test('RetryStage with send_resolved=false sends only firing alerts and skips all-resolved batches', async () => {
    const got: Alert[][] = [];
    const s = new RetryStage({ name: 'webhook', index: 0, sendResolved: false, notifier: { notify: async (_c, as) => void got.push([...as]) } }, systemClock);
    await s.exec(ctx(), [a1, a2]);
    await s.exec(ctx(), [a2]);
    expect(got).toEqual([[a1]]);
  });

  test('backoff grows x1.5 with jitter and caps at 60s', () => {
    const p = { ...DEFAULT_BACKOFF, random: () => 0.5 };
    expect([1, 2, 3].map((n) => backoffDelay(p, n))).toEqual([500, 750, 1125]);
    expect(backoffDelay(p, 50)).toBe(60_000);
    expect(backoffDelay({ ...p, random: () => 0 }, 1)).toBe(250);
  });

  test('FanoutStage runs branches concurrently and aggregates failures', async () => {
    const ok = stageFunc((c, as) => ({ ctx: c, alerts: as }));
    const bad = stageFunc(() => {
      throw new Error('boom');
    });
    await expect(new FanoutStage([ok, ok]).exec(ctx(), [a1])).resolves.toBeDefined();
    await expect(new FanoutStage([ok, bad]).exec(ctx(), [a1])).rejects.toBeInstanceOf(AggregateError);
  });
});

describe('receiver-name-in-metrics', () => {
  const integration = (name: string, fail = false) => ({
    name,
    index: 0,
    sendResolved: true,
    notifier: {
      async notify() {
        if (fail) throw new NotifyError('unexpected status code 400', { retryable: false, reason: 'clientError' });
      },
    },
  });
  const build = (m: ReturnType<typeof notifyMetrics>, receivers: [string, ReturnType<typeof integration>[]][]) =>
    buildPipeline({ receivers: new Map(receivers), timeIntervals: { specs: new Map(), isActive: () => true }, nflog: new Nflog({ clock: systemClock }), clock: systemClock, metrics: m });

  test('series per configured receiver and integration; a rebuild (reload) drops the old receivers', async () => {
    const reg = new Registry();
    const m = notifyMetrics(reg, { receiverNameInMetrics: true });
    const first = build(m, [['ops', [integration('webhook'), integration('slack', true)]]]);
    await first.get('ops')!.exec(ctx({ receiver: 'ops' }), [mkAlert({ alertname: 'A' })]).catch(() => undefined);
    const text = await reg.metrics();
    expect(text).toContain('alertmanager_notifications_total{integration="webhook",receiver_name="ops"} 1');
    expect(text).toContain('alertmanager_notifications_failed_total{integration="slack",receiver_name="ops",reason="clientError"} 1');
    expect(text).toContain('alertmanager_notification_requests_failed_total{integration="slack",receiver_name="ops"} 1');
    expect(text).not.toContain('integration="email"');
    build(m, [['dev', [integration('webhook')]]]);
    const after = await reg.metrics();
    expect(after).toContain('alertmanager_notifications_total{integration="webhook",receiver_name="dev"} 0');
    expect(after).not.toContain('receiver_name="ops"');
  });

  test('without the flag: no receiver_name, every integration at 0 from the start', async () => {
    const reg = new Registry();
    build(notifyMetrics(reg, { integrations: integrationTypes }), [['ops', [integration('webhook')]]]);
    const text = await reg.metrics();
    expect(text).toContain('alertmanager_notifications_total{integration="email"} 0');
    expect(text).not.toContain('receiver_name');
  });
});
