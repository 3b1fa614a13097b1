/**
 * Escalation through the real pipeline on a manual clock, its state in a real SQLite database: steps are reached
 * at their time unless an ack came first; resolving ends it; a new Escalations over the same file continues.
 */
import { mkAlert } from '../../test/acceptance/support/fixtures';
import { ManualClock } from '../../test/helpers/manual-clock';
import type { HistoryEvent } from '../history/event';
import { Nflog } from '../nflog/nflog';
import { buildPipeline } from '../pipeline/pipeline-builder';
import type { Integration, NotifyContext, Stage } from '../pipeline/types';
import { sqliteAckStorage, sqliteEscalationStorage } from '../store/acks';
import { type DB, openDatabase } from '../store/db';
import type { Alert } from '../types/alert';
import { silentLogger } from '../types/logger';
import { Acks } from './acks';
import { Escalations } from './escalations';

const MIN = 60_000;
const T0 = 1_700_000_000_000;
const STEPS = [
  { after: 15 * MIN, receiver: 'team-pager' },
  { after: 30 * MIN, receiver: 'manager-pager' },
];

function setup(db: DB = openDatabase(':memory:'), clock = new ManualClock(T0), nflog = new Nflog({ clock })) {
  const events: HistoryEvent[] = [];
  const history = { record: (e: HistoryEvent) => void events.push(e), committed: async () => undefined };
  const acks = new Acks({ storage: sqliteAckStorage(db), clock, logger: silentLogger(), history });
  const escalations = new Escalations({ storage: sqliteEscalationStorage(db), clock, logger: silentLogger(), history });
  const sent: { receiver: string; reason: string | undefined }[] = [];
  const integration = (): Integration => ({ name: 'webhook', index: 0, sendResolved: true, notifier: { notify: async (c: NotifyContext) => void sent.push({ receiver: c.receiver, reason: c.notificationReason }) } });
  const wakes: number[] = [];
  const stages = buildPipeline({
    receivers: new Map(['team-slack', 'team-pager', 'manager-pager'].map((r) => [r, [integration()]])),
    timeIntervals: { specs: new Map(), isActive: () => false },
    nflog,
    clock,
    acks,
    escalation: {
      escalations,
      stepsOf: (r) => (r === 'team-slack' ? STEPS : []),
      ackedBy: (k, r, now) => acks.activeFor(k, r, now)?.id,
      wake: (_k, at) => void wakes.push(at),
    },
  });
  const stage = stages.get('team-slack') as Stage;
  const flush = (alerts: readonly Alert[]) =>
    stage.exec(
      { receiver: 'team-slack', groupKey: '{}:{}', groupLabels: {}, routeId: '{}', routeLabels: {}, now: clock.now(), repeatInterval: 4 * 60 * MIN, muteTimeIntervals: [], activeTimeIntervals: [], signal: new AbortController().signal, logger: silentLogger() },
      alerts,
    );
  return { db, clock, nflog, acks, escalations, sent, wakes, flush, events, load: async () => { await acks.load(); await escalations.load(); } };
}

const a = mkAlert({ alertname: 'A' }, { startsAt: T0 - MIN });

test('without an ack, each step is reached at its time and its receiver gets the group', async () => {
  const t = setup();
  await t.flush([a]);
  expect(t.sent).toEqual([{ receiver: 'team-slack', reason: 'first notification' }]);
  expect(t.wakes).toEqual([T0 + 15 * MIN]);
  t.clock.advance(15 * MIN);
  await t.flush([a]);
  expect(t.sent.slice(1)).toEqual([{ receiver: 'team-pager', reason: 'first notification' }]);
  expect(t.wakes.at(-1)).toBe(T0 + 30 * MIN);
  t.clock.advance(5 * MIN);
  await t.flush([a]);
  // nothing new for anyone: each receiver dedups on its own notification log entries
  expect(t.sent).toHaveLength(2);
  t.clock.advance(10 * MIN);
  await t.flush([a]);
  expect(t.sent.slice(2)).toEqual([{ receiver: 'manager-pager', reason: 'first notification' }]);
  expect(t.events.filter((e) => e.kind === 'escalation_step').map((e) => [e.time - T0, e.data?.to])).toEqual([
    [15 * MIN, 'team-pager'],
    [30 * MIN, 'manager-pager'],
  ]);
  // resolved: every reached receiver gets the resolved notification, and the escalation ends
  t.clock.advance(MIN);
  await t.flush([{ ...a, endsAt: t.clock.now() - 1 }]);
  expect(t.sent.slice(3).map((s) => [s.receiver, s.reason])).toEqual([
    ['team-slack', 'all alerts resolved'],
    ['team-pager', 'all alerts resolved'],
    ['manager-pager', 'all alerts resolved'],
  ]);
  expect(t.escalations.get('{}:{}', 'team-slack')).toBeUndefined();
  expect(t.events.at(-1)).toMatchObject({ kind: 'escalation_stopped', data: { reason: 'resolved' } });
});

test('an ack before the next step stops the escalation', async () => {
  const t = setup();
  await t.flush([a]);
  t.clock.advance(15 * MIN);
  await t.flush([a]);
  expect(t.sent.map((s) => s.receiver)).toEqual(['team-slack', 'team-pager']);
  await t.acks.create({ groupKey: '{}:{}', receiver: 'team-slack', createdBy: 'alice', comment: 'mine' }, [a]);
  t.clock.advance(20 * MIN);
  await t.flush([a]);
  expect(t.sent.map((s) => s.receiver)).toEqual(['team-slack', 'team-pager']);
  expect(t.escalations.get('{}:{}', 'team-slack')).toMatchObject({ steps: 1, stopReason: 'acknowledged' });
  expect(t.events.filter((e) => e.kind === 'escalation_stopped').map((e) => e.data?.reason)).toEqual(['acknowledged']);
});

test('a restart continues the escalation from the stored start', async () => {
  const first = setup();
  await first.flush([a]);
  first.clock.advance(15 * MIN);
  await first.flush([a]);
  // a new process over the same database and notification log, 16 minutes later
  const clock = new ManualClock(T0 + 31 * MIN);
  const t = setup(first.db, clock, first.nflog);
  await t.load();
  await t.flush([a]);
  // step 2 was due at 30m after the first notification, not 30m after the restart
  expect(t.sent).toEqual([{ receiver: 'manager-pager', reason: 'first notification' }]);
});

test('a receiver without integrations escalates from its first firing flush', async () => {
  const clock = new ManualClock(T0);
  const db = openDatabase(':memory:');
  const escalations = new Escalations({ storage: sqliteEscalationStorage(db), clock, logger: silentLogger() });
  const sent: string[] = [];
  const stages = buildPipeline({
    receivers: new Map<string, Integration[]>([
      ['null', []],
      ['team-pager', [{ name: 'webhook', index: 0, sendResolved: true, notifier: { notify: async (c: NotifyContext) => void sent.push(c.receiver) } }]],
    ]),
    timeIntervals: { specs: new Map(), isActive: () => false },
    nflog: new Nflog({ clock }),
    clock,
    escalation: { escalations, stepsOf: (r) => (r === 'null' ? [STEPS[0]!] : []) },
  });
  const flush = () =>
    (stages.get('null') as Stage).exec(
      { receiver: 'null', groupKey: 'k', groupLabels: {}, routeId: '{}', routeLabels: {}, now: clock.now(), repeatInterval: 4 * 60 * MIN, muteTimeIntervals: [], activeTimeIntervals: [], signal: new AbortController().signal, logger: silentLogger() },
      [a],
    );
  await flush();
  clock.advance(15 * MIN);
  await flush();
  expect(sent).toEqual(['team-pager']);
});

test('a replica sharing the storage continues an escalation another one started', async () => {
  const first = setup();
  await first.flush([a]);
  // a second replica over the same database, with the shared notification log, takes the group over
  const clock = new ManualClock(T0 + 16 * MIN);
  const t = setup(first.db, clock, first.nflog);
  await t.flush([a]);
  expect(t.sent).toEqual([{ receiver: 'team-pager', reason: 'first notification' }]);
  expect(t.escalations.get('{}:{}', 'team-slack')?.startedAt).toBe(T0);
});
