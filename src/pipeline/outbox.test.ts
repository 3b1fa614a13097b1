import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { mkAlert, webhookIntegration } from '../../test/acceptance/support/fixtures';
import { ManualClock } from '../../test/helpers/manual-clock';
import type { HistoryEvent } from '../history/event';
import type { HistorySink } from '../history/sink';
import { useFakeReceiver } from '../notifiers/testing/fake-receiver';
import { WebhookNotifier } from '../notifiers/webhook/notifier';
import { type DB, openDatabase } from '../store/db';
import { sqliteOutboxStorage } from '../store/outbox';
import { NotifyError } from '../types/errors';
import { silentLogger } from '../types/logger';
import type { OutboxSettings } from '../types/tocsin-config';
import { Outbox, outboxBackoff } from './outbox';
import { OutboxStage } from './outbox-stage';
import { renderedPayload } from './payload-capture';
import { DEFAULT_BACKOFF } from './retry-stage';
import type { Integration, NotifyContext } from './types';

const T0 = 1_700_000_000_000;
const S = 1000;
const SETTINGS: OutboxSettings = { deadline: 600 * S, min_backoff: 10 * S, max_backoff: 60 * S };

/** A receiver that answers 503 while `down`, and counts what it got (the body of each delivered notification). */
class Sink {
  down = true;
  refuse = false;
  readonly got: string[] = [];
  attempts = 0;
  /** renders a body that changes at every rendering (like a Date header), so a stored payload is told apart */
  renders = 0;
  integration(): Integration {
    return {
      name: 'webhook',
      index: 0,
      sendResolved: true,
      notifier: {
        notify: async (ctx) => {
          this.attempts++;
          const body = renderedPayload(ctx.payloads, `${ctx.groupKey} rendering ${++this.renders}`, () => 'POST sink');
          if (this.refuse) throw new NotifyError('unexpected status code 400: bad payload', { retryable: false, reason: 'clientError', status: 400 });
          if (this.down) throw new NotifyError('unexpected status code 503', { retryable: true, reason: 'serverError', status: 503 });
          this.got.push(body);
        },
      },
    };
  }
}

function ctx(groupKey: string, clock: ManualClock, signal = new AbortController().signal): NotifyContext {
  return Object.freeze({
    receiver: 'pager',
    groupKey,
    groupLabels: { alertname: groupKey },
    routeId: '{}',
    routeLabels: {},
    now: clock.now(),
    repeatInterval: 3600 * S,
    muteTimeIntervals: [],
    activeTimeIntervals: [],
    signal,
    logger: silentLogger(),
    firing: ['fp'],
    resolved: [],
    notificationReason: 'first notification',
  });
}

/** settles the promise chains the clock's timers start (SQLite calls are synchronous) */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
}

describe('persistent outbox', () => {
  const slowReceiver = useFakeReceiver();
  const fastReceiver = useFakeReceiver();
  let dir: string;
  let db: DB;
  let clock: ManualClock;
  let sink: Sink;
  let events: HistoryEvent[];
  let registry: Registry;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tocsin-outbox-'));
    db = openDatabase(dir);
    clock = new ManualClock(T0);
    sink = new Sink();
    events = [];
    registry = new Registry();
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function newOutbox(): Promise<{ outbox: Outbox; integration: Integration }> {
    const outbox = new Outbox({
      storage: sqliteOutboxStorage(db),
      clock,
      logger: silentLogger(),
      registry,
      history: { record: (e) => events.push(e), committed: async () => undefined },
    });
    await outbox.load();
    const integration = sink.integration();
    outbox.configure(new Map([['pager', [integration]]]), () => SETTINGS);
    outbox.start();
    return { outbox, integration };
  }

  /** one flush through the outbox stage whose retries the flush deadline cuts after the first attempt */
  async function flush(stage: OutboxStage, groupKey: string): Promise<void> {
    const deadline = new AbortController();
    const alerts = [mkAlert({ alertname: groupKey }, { startsAt: clock.now() - S })];
    const p = stage.exec(ctx(groupKey, clock, deadline.signal), alerts);
    await settle();
    deadline.abort(new DOMException('deadline', 'TimeoutError'));
    await p;
  }

  async function metric(name: string): Promise<number> {
    const m = (await registry.getSingleMetric(name)!.get()).values.find((v) => v.labels.receiver === 'pager');
    return m?.value ?? 0;
  }

  test('backoff doubles from min_backoff up to max_backoff', () => {
    expect([1, 2, 3, 4, 5].map((n) => outboxBackoff(SETTINGS, n))).toEqual([10 * S, 20 * S, 40 * S, 60 * S, 60 * S]);
  });

  test('a receiver down, then up: every missed notification arrives after recovery, in order, once, with the bytes of its first attempt', async () => {
    const { outbox, integration } = await newOutbox();
    const stage = new OutboxStage(integration, outbox, SETTINGS, clock, undefined, DEFAULT_BACKOFF);
    await flush(stage, 'g1');
    clock.advance(S);
    await flush(stage, 'g2');
    clock.advance(S);
    await flush(stage, 'g3');
    // g1 failed in its flush and is stored; g2 and g3 queue behind it without being sent
    expect(sink.attempts).toBe(1);
    expect(outbox.waiting('pager', 'webhook', 0)).toBe(3);
    expect(await metric('tocsin_outbox_pending')).toBe(3);
    // 60 s down: the head is retried with backoff (10 s, 20 s, 40 s), the others wait
    for (let t = 0; t < 60; t++) {
      clock.advance(S);
      await settle();
    }
    expect(sink.got).toEqual([]);
    const retriesWhileDown = sink.attempts - 1;
    expect(retriesWhileDown).toBe(2);
    sink.down = false;
    for (let t = 0; t < 120; t++) {
      clock.advance(S);
      await settle();
    }
    expect(sink.got).toEqual(['g1 rendering 1', 'g2 rendering 5', 'g3 rendering 6']);
    expect(outbox.waiting('pager', 'webhook', 0)).toBe(0);
    expect((await sqliteOutboxStorage(db).list({ limit: 10 })).entries).toEqual([]);
    expect(await metric('tocsin_outbox_pending')).toBe(0);
    expect(await metric('tocsin_outbox_delivered_total')).toBe(3);
    expect(await metric('tocsin_outbox_retries_total')).toBe(retriesWhileDown + 3);
    expect(events.filter((e) => e.kind === 'outbox_delivered').map((e) => e.groupKey)).toEqual(['g1', 'g2', 'g3']);
    expect(events.filter((e) => e.kind === 'outbox_enqueued').map((e) => e.data?.queuedBehind)).toEqual([undefined, 1, 2]);
    outbox.stop();
  });

  test('a new flush while the outbox holds entries is not sent before them', async () => {
    const { outbox, integration } = await newOutbox();
    const stage = new OutboxStage(integration, outbox, SETTINGS, clock, undefined, DEFAULT_BACKOFF);
    await flush(stage, 'g1');
    sink.down = false;
    // the receiver is back, but g1 waits for its backoff: g2 must not overtake it
    await flush(stage, 'g2');
    expect(sink.got).toEqual([]);
    clock.advance(10 * S);
    await settle();
    expect(sink.got).toEqual(['g1 rendering 1', 'g2 rendering 3']);
    // with nothing waiting, a flush sends at once again
    await flush(stage, 'g3');
    expect(sink.got.at(-1)).toBe('g3 rendering 4');
    outbox.stop();
  });

  test('past the deadline they are dead letters; a replay delivers each once, same bytes, new attempt number', async () => {
    const short: OutboxSettings = { deadline: 30 * S, min_backoff: 10 * S, max_backoff: 10 * S };
    const { outbox, integration } = await newOutbox();
    const stage = new OutboxStage(integration, outbox, short, clock, undefined, DEFAULT_BACKOFF);
    await flush(stage, 'g1');
    await flush(stage, 'g2');
    for (let t = 0; t < 40; t++) {
      clock.advance(S);
      await settle();
    }
    const storage = sqliteOutboxStorage(db);
    const dead = (await storage.list({ state: 'dead', limit: 10 })).entries;
    expect(dead.map((e) => e.notification.groupKey)).toEqual(['g2', 'g1']);
    expect(dead[1]!.lastError).toContain('503');
    expect(await metric('tocsin_outbox_dead_letters')).toBe(2);
    expect(events.filter((e) => e.kind === 'outbox_dead_lettered')).toHaveLength(2);
    sink.down = false;
    const g1 = dead[1]!;
    const r = await outbox.replay(g1.id);
    expect(r.delivered).toBe(true);
    expect(r.entry.attempts).toBe(g1.attempts + 1);
    expect(sink.got).toEqual(['g1 rendering 1']);
    await expect(outbox.replay(g1.id)).rejects.toMatchObject({ status: 404 });
    expect(await metric('tocsin_outbox_dead_letters')).toBe(1);
    expect(await outbox.discard(dead[0]!.id)).toBe(true);
    expect(await metric('tocsin_outbox_dead_letters')).toBe(0);
    expect(sink.got).toEqual(['g1 rendering 1']);
    outbox.stop();
  });

  test('a refusal (non-retryable) is a dead letter at once, with its reason; a pending entry cannot be replayed', async () => {
    const { outbox, integration } = await newOutbox();
    const stage = new OutboxStage(integration, outbox, SETTINGS, clock, undefined, DEFAULT_BACKOFF);
    sink.refuse = true;
    await stage.exec(ctx('g1', clock), [mkAlert({ alertname: 'g1' })]);
    const [dead] = (await sqliteOutboxStorage(db).list({ state: 'dead', limit: 10 })).entries;
    expect(dead?.lastError).toContain('400');
    expect(outbox.waiting('pager', 'webhook', 0)).toBe(0);
    sink.refuse = false;
    await flush(stage, 'g2');
    const [pending] = (await sqliteOutboxStorage(db).list({ state: 'pending', limit: 10 })).entries;
    await expect(outbox.replay(pending!.id)).rejects.toMatchObject({ status: 409 });
    outbox.stop();
  });

  /** g1 and g2 fail in their flushes and are stored; then a restart (the database opened again): its outbox */
  async function storeTwoAndRestart(): Promise<{ outbox: Outbox; integration: Integration }> {
    const first = await newOutbox();
    const stage = new OutboxStage(first.integration, first.outbox, SETTINGS, clock, undefined, DEFAULT_BACKOFF);
    await flush(stage, 'g1');
    await flush(stage, 'g2');
    first.outbox.stop();
    db.close();
    db = openDatabase(dir);
    return newOutbox();
  }

  test('a restart resumes the queue from the database, in order', async () => {
    const second = await storeTwoAndRestart();
    sink.down = false;
    expect(second.outbox.waiting('pager', 'webhook', 0)).toBe(2);
    clock.advance(10 * S);
    await settle();
    expect(sink.got).toEqual(['g1 rendering 1', 'g2 rendering 3']);
    second.outbox.stop();
  });

  test('a kill after the outbox stored a notification and before the notification log did: the restarted flush does not queue it again', async () => {
    const second = await storeTwoAndRestart();
    const stage = new OutboxStage(second.integration, second.outbox, SETTINGS, clock, undefined, DEFAULT_BACKOFF);
    // the restarted dispatcher flushes g2 with the same alerts: the log has no entry for it, the outbox has
    await flush(stage, 'g2');
    expect(second.outbox.waiting('pager', 'webhook', 0)).toBe(2);
    // another alert in g2 since: a different notification, queued behind
    await stage.exec({ ...ctx('g2', clock), firing: ['fp', 'fp2'] }, [mkAlert({ alertname: 'g2' }), mkAlert({ alertname: 'g2', i: '2' })]);
    expect(second.outbox.waiting('pager', 'webhook', 0)).toBe(3);
    sink.down = false;
    clock.advance(10 * S);
    await settle();
    expect(sink.got).toEqual(['g1 rendering 1', 'g2 rendering 3', 'g2 rendering 4']);
    second.outbox.stop();
  });

  test('the queue is in flush order, whatever order the flushes failed in', async () => {
    const { outbox, integration } = await newOutbox();
    const later = ctx('later', clock);
    clock.advance(-S);
    const earlier = ctx('earlier', clock);
    clock.advance(S);
    await outbox.enqueue(later, [mkAlert({ alertname: 'later' })], integration, SETTINGS, { attempts: 1, payload: [{ target: 'POST sink', body: 'later body' }], error: '503' });
    await outbox.enqueue(earlier, [mkAlert({ alertname: 'earlier' })], integration, SETTINGS, { attempts: 1, payload: [{ target: 'POST sink', body: 'earlier body' }], error: '503' });
    sink.down = false;
    clock.advance(10 * S);
    await settle();
    expect(sink.got).toEqual(['earlier body', 'later body']);
    outbox.stop();
  });

  /** g1 fails in its flush; then a reload replaces the integration by one that renders `body` for `target` */
  async function retryAfterReload(target: string, body: string): Promise<{ outbox: Outbox; sent: string[] }> {
    const { outbox, integration } = await newOutbox();
    await flush(new OutboxStage(integration, outbox, SETTINGS, clock, undefined, DEFAULT_BACKOFF), 'g1');
    const sent: string[] = [];
    const next: Integration = { ...integration, notifier: { notify: async (c) => void sent.push(renderedPayload(c.payloads, body, () => target)) } };
    outbox.configure(new Map([['pager', [next]]]), () => SETTINGS);
    clock.advance(10 * S);
    await settle();
    return { outbox, sent };
  }

  test('a retry goes through the current config\'s integration (a reload that changed it), never a stored URL', async () => {
    const { outbox, sent } = await retryAfterReload('POST sink', 'fresh rendering');
    expect(sent).toEqual(['g1 rendering 1']);
    expect(outbox.waiting('pager', 'webhook', 0)).toBe(0);
    outbox.stop();
  });

  test('a request whose target differs from the stored one at its position is rendered afresh (Jira: search, then update instead of create)', async () => {
    const { outbox, sent } = await retryAfterReload('PUT issue', 'update body');
    expect(sent).toEqual(['update body']);
    outbox.stop();
  });

  test('explain: the waiting notifications that include an alert', async () => {
    const { outbox, integration } = await newOutbox();
    const stage = new OutboxStage(integration, outbox, SETTINGS, clock, undefined, DEFAULT_BACKOFF);
    await flush(stage, 'g1');
    const fp = mkAlert({ alertname: 'g1' }).fingerprint;
    expect(outbox.pendingWith('pager', 'webhook', 0, fp)).toBe(1);
    expect(outbox.pendingWith('pager', 'webhook', 0, 'ffffffffffffffff')).toBe(0);
    outbox.stop();
  });

  test('a replay cut by a restart is a dead letter again, marked as possibly delivered (never replayed by itself)', async () => {
    const storage = sqliteOutboxStorage(db);
    const notification = { receiver: 'pager', integration: 'webhook', index: 0, groupKey: 'g1', groupLabels: {}, routeId: '{}', routeLabels: {}, now: T0, repeatInterval: 1, muteTimeIntervals: [], activeTimeIntervals: [], firing: [], resolved: [], alerts: [] };
    const e = await storage.add({ state: 'replaying', notification, payload: [], createdAt: T0, deadlineAt: T0, nextAttemptAt: T0, attempts: 3, updatedAt: T0 });
    const { outbox } = await newOutbox();
    clock.advance(60 * S);
    await settle();
    expect(sink.attempts).toBe(0);
    expect(await storage.get(e.id)).toMatchObject({ state: 'dead', lastError: expect.stringContaining('may have been delivered') });
    expect(await metric('tocsin_outbox_dead_letters')).toBe(1);
    outbox.stop();
  });

  // Each attempt's capture (history: status and body; outbox: the request bodies) travels on the context the
  // notifier is given. Two groups flush at once to two real receivers through real webhook notifiers, the slow
  // receiver answering after the fast one's whole attempt: each must keep its own, none may be lost or land in the
  // other's.
  test('each group\'s history event has its own status and body, and each dead letter its own stored request (two flushes in flight together)', async () => {
    const history: HistorySink = { record: (e) => events.push(e), committed: async () => undefined, payloadBytes: 10_000 };
    const { outbox } = await newOutbox();
    const webhook = (url: string, index: number): Integration & { notifier: WebhookNotifier } => ({
      name: 'webhook',
      index,
      sendResolved: true,
      notifier: new WebhookNotifier(webhookIntegration(`${url}/hook`, {}, index), { externalURL: '', userAgent: 'x' }),
    });
    const slow = webhook(slowReceiver.url, 0);
    const fast = webhook(fastReceiver.url, 1);
    outbox.configure(new Map([['pager', [slow, fast]]]), () => SETTINGS);
    const flushBoth = () => {
      const flush = (i: Integration, groupKey: string) =>
        new OutboxStage(i, outbox, SETTINGS, clock, undefined, DEFAULT_BACKOFF).exec({ ...ctx(groupKey, clock), history }, [mkAlert({ alertname: groupKey })]);
      return Promise.all([flush(slow, 'slow-group'), flush(fast, 'fast-group')]);
    };
    /** the group a request body was sent for (what a lost capture leaves: undefined) */
    const sentGroup = (body: unknown) => (typeof body === 'string' ? (JSON.parse(body) as { groupKey: string }).groupKey : body);
    try {
      // delivered: the slow receiver answers 202 well after the fast one's 200 (the events' order shows it)
      slowReceiver.respond = () => ({ status: 202, delay: 500 });
      fastReceiver.respond = () => ({ status: 200 });
      await flushBoth();
      const attempts = events.filter((e) => e.kind === 'notification');
      expect(attempts.map((e) => [e.groupKey, e.data?.outcome, e.data?.status, sentGroup(e.data?.payload)])).toEqual([
        ['fast-group', 'success', 200, 'fast-group'],
        ['slow-group', 'success', 202, 'slow-group'],
      ]);
      expect([slowReceiver.requests.map((r) => sentGroup(r.body)), fastReceiver.requests.map((r) => sentGroup(r.body))]).toEqual([['slow-group'], ['fast-group']]);

      // refused: each dead letter keeps the request its own flush sent (the slow one refused last)
      slowReceiver.respond = () => ({ status: 400, delay: 300 });
      fastReceiver.respond = () => ({ status: 400 });
      await flushBoth();
      const dead = (await sqliteOutboxStorage(db).list({ state: 'dead', limit: 10 })).entries;
      const stored = dead.map((e) => [e.notification.groupKey, e.payload.map((r) => sentGroup(r.body))]);
      expect(stored.sort()).toEqual([
        ['fast-group', ['fast-group']],
        ['slow-group', ['slow-group']],
      ]);
      const [a, b] = dead;
      expect(a!.payload[0]!.target).not.toBe(b!.payload[0]!.target);
    } finally {
      outbox.stop();
      await Promise.all([slow.notifier.close(), fast.notifier.close()]);
    }
  });
});
