/**
 * Acks against the real pipeline (dedup stage, in-memory nflog) on a manual clock, stored in a real SQLite
 * database: repeats stop while acked, start again on a new or changed alert and when the ack expires; resolved
 * notifications still go out.
 */
import { mkAlert } from '../../test/acceptance/support/fixtures';
import { ManualClock } from '../../test/helpers/manual-clock';
import type { HistoryEvent } from '../history/event';
import type { HistorySink } from '../history/sink';
import { Nflog } from '../nflog/nflog';
import { buildPipeline } from '../pipeline/pipeline-builder';
import type { NotifyContext, Stage } from '../pipeline/types';
import { sqliteAckStorage } from '../store/acks';
import { openDatabase } from '../store/db';
import type { Alert } from '../types/alert';
import { silentLogger } from '../types/logger';
import { Acks } from './acks';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = 1_700_000_000_000;

class Events implements HistorySink {
  readonly events: HistoryEvent[] = [];
  record(e: HistoryEvent): void {
    this.events.push(e);
  }
  async committed(): Promise<void> {}
  kinds(): string[] {
    return this.events.map((e) => (e.kind === 'flush_skipped' ? `flush_skipped:${String(e.data?.why)}` : e.kind));
  }
}

function setup() {
  const clock = new ManualClock(T0);
  const db = openDatabase(':memory:');
  const history = new Events();
  const acks = new Acks({ storage: sqliteAckStorage(db), clock, logger: silentLogger(), history });
  const sent: { reason: string | undefined; firing: readonly string[]; resolved: readonly string[] }[] = [];
  const nflog = new Nflog({ clock });
  const stages = buildPipeline({
    receivers: new Map([['team', [{ name: 'webhook', index: 0, sendResolved: true, notifier: { notify: async (ctx: NotifyContext) => void sent.push({ reason: ctx.notificationReason, firing: ctx.firing ?? [], resolved: ctx.resolved ?? [] }) } }]]]),
    timeIntervals: { specs: new Map(), isActive: () => false },
    nflog,
    clock,
    acks,
  });
  const stage = stages.get('team') as Stage;
  const flush = async (alerts: readonly Alert[]) => {
    await stage.exec(
      {
        receiver: 'team',
        groupKey: '{}:{}',
        groupLabels: {},
        routeId: '{}',
        routeLabels: {},
        now: clock.now(),
        repeatInterval: HOUR,
        muteTimeIntervals: [],
        activeTimeIntervals: [],
        signal: new AbortController().signal,
        logger: silentLogger(),
        history,
      },
      alerts,
    );
  };
  const ack = (alerts: readonly Alert[], endsAt?: number) =>
    acks.create({ groupKey: '{}:{}', receiver: 'team', createdBy: 'alice', comment: 'on it', ...(endsAt !== undefined ? { endsAt } : {}) }, alerts);
  return { clock, db, history, acks, sent, flush, ack };
}

const a = mkAlert({ alertname: 'A' }, { startsAt: T0 - MIN });
const b = mkAlert({ alertname: 'B' }, { startsAt: T0 - MIN });

describe('an acknowledged group', () => {
  test('gets no repeat notification while acked; the repeat comes back when a new alert joins', async () => {
    const t = setup();
    await t.flush([a]);
    expect(t.sent.map((s) => s.reason)).toEqual(['first notification']);
    await t.ack([a]);
    t.clock.advance(HOUR + MIN);
    await t.flush([a]);
    t.clock.advance(HOUR + MIN);
    await t.flush([a]);
    // two repeat intervals passed: without the ack, two repeats would have gone out
    expect(t.sent.map((s) => s.reason)).toEqual(['first notification']);
    expect(t.history.kinds().filter((k) => k === 'flush_skipped:acknowledged')).toHaveLength(2);
    await t.flush([a, b]);
    expect(t.sent.map((s) => s.reason)).toEqual(['first notification', 'new alerts added']);
    // the ack ended with the change: repeats come back
    expect(t.acks.list()).toEqual([]);
    expect(t.acks.list({ active: false })[0]).toMatchObject({ endReason: 'alerts changed', createdBy: 'alice' });
    t.clock.advance(HOUR + MIN);
    await t.flush([a, b]);
    expect(t.sent.map((s) => s.reason)).toEqual(['first notification', 'new alerts added', 'repeat interval elapsed']);
    expect(t.history.kinds()).toContain('ack_expired');
  });

  test('a changed annotation ends the ack', async () => {
    const t = setup();
    await t.flush([a]);
    await t.ack([a]);
    t.clock.advance(HOUR + MIN);
    await t.flush([{ ...a, annotations: { summary: 'worse' } }]);
    expect(t.sent.map((s) => s.reason)).toEqual(['first notification', 'repeat interval elapsed']);
    expect(t.acks.list({ active: false })[0]?.endReason).toBe('alerts changed');
  });

  test('repeats come back when the ack expires, and the expiry is recorded at endsAt', async () => {
    const t = setup();
    await t.flush([a]);
    await t.ack([a], T0 + 90 * MIN);
    t.clock.advance(HOUR + MIN);
    await t.flush([a]);
    expect(t.sent).toHaveLength(1);
    t.clock.advance(30 * MIN);
    // the expiry timer ended it at endsAt
    await Promise.resolve();
    const expired = t.history.events.find((e) => e.kind === 'ack_expired');
    expect(expired).toMatchObject({ time: T0 + 90 * MIN, data: { reason: 'expired' } });
    await t.flush([a]);
    expect(t.sent.map((s) => s.reason)).toEqual(['first notification', 'repeat interval elapsed']);
  });

  test('resolved notifications still go out (unlike a silence)', async () => {
    const t = setup();
    await t.flush([a, b]);
    await t.ack([a, b]);
    t.clock.advance(10 * MIN);
    await t.flush([a, { ...b, endsAt: t.clock.now() - 1000 }]);
    expect(t.sent.map((s) => [s.reason, s.resolved])).toEqual([
      ['first notification', []],
      ['some alerts resolved', [b.fingerprint]],
    ]);
    await t.flush([{ ...a, endsAt: t.clock.now() - 1000 }]);
    expect(t.sent.at(-1)).toMatchObject({ reason: 'all alerts resolved', resolved: [a.fingerprint] });
  });

  test('a deleted ack stops applying; its audit is kept in storage', async () => {
    const t = setup();
    await t.flush([a]);
    const ack = await t.ack([a]);
    t.clock.advance(MIN);
    await t.acks.delete(ack.id, 'bob');
    t.clock.advance(HOUR);
    await t.flush([a]);
    expect(t.sent).toHaveLength(2);
    const again = new Acks({ storage: sqliteAckStorage(t.db), clock: t.clock, logger: silentLogger() });
    await again.load();
    expect(again.get(ack.id)).toMatchObject({ createdBy: 'alice', comment: 'on it', endReason: 'deleted', endedBy: 'bob', endedAt: T0 + MIN });
    expect(t.history.kinds()).toEqual(expect.arrayContaining(['ack_created', 'ack_deleted']));
  });

  test('a second ack of the group supersedes the first', async () => {
    const t = setup();
    const first = await t.ack([a]);
    const second = await t.ack([a]);
    expect(t.acks.list().map((x) => x.id)).toEqual([second.id]);
    expect(t.acks.get(first.id)?.endReason).toBe('superseded');
  });
});
