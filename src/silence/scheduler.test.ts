import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../test/helpers/manual-clock';
import { type DB, openDatabase } from '../store/db';
import { sqliteScheduleStore } from '../store/silence-schedules';
import { SilenceStore } from '../store/silences';
import { silentLogger } from '../types/logger';
import { occurrenceSilenceId, SCHEDULE_ANNOTATION } from './schedule';
import { type ScheduleInput, ScheduleError, SilenceScheduler } from './scheduler';
import { Silences } from './silences';
import { silenceState } from './types';

const H = 3600_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** every Sunday 02:00-04:00 Europe/Berlin */
const SUNDAY: ScheduleInput = {
  matchers: [{ type: '=', name: 'env', value: 'prod' }],
  rrule: 'FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=0;BYSECOND=0',
  timeZone: 'Europe/Berlin',
  duration: 2 * H,
  createdBy: 'ops',
  comment: 'weekly maintenance',
};

describe('SilenceScheduler', () => {
  let dir: string;
  let db: DB;
  let clock: ManualClock;
  const parts: { silences: Silences; scheduler: SilenceScheduler }[] = [];

  function boot(): { silences: Silences; scheduler: SilenceScheduler } {
    const silences = new Silences({ store: new SilenceStore(db), clock, logger: silentLogger(), retention: 120 * H });
    const scheduler = new SilenceScheduler({ silences, store: sqliteScheduleStore(db), clock, logger: silentLogger() });
    parts.push({ silences, scheduler });
    return { silences, scheduler };
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sched-'));
    db = openDatabase(dir);
    clock = new ManualClock(Date.parse('2026-03-26T12:00:00Z')); // a Thursday, before the spring-forward Sunday
  });
  afterEach(() => {
    for (const p of parts.splice(0)) {
      p.scheduler.stop();
      p.silences.stop();
    }
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the next occurrence as an ordinary silence at once, and later ones as they come within 24h', async () => {
    const { silences, scheduler } = boot();
    await scheduler.start();
    const s = await scheduler.add(SUNDAY);
    // next Sunday 29 March is the spring-forward day: 02:00 does not exist, the window starts 03:00 CEST (01:00Z)
    const first = silences.get(occurrenceSilenceId(s.id, Date.parse('2026-03-29T01:00:00Z')))!;
    expect([iso(first.startsAt), iso(first.endsAt)]).toEqual(['2026-03-29T01:00:00.000Z', '2026-03-29T03:00:00.000Z']);
    expect(first.createdBy).toBe('ops');
    expect(first.comment).toContain(s.id);
    expect(first.annotations[SCHEDULE_ANNOTATION]).toBe(s.id);
    expect(String(first.matcherSets[0]![0])).toBe('env="prod"');
    expect(silences.query()).toHaveLength(1);

    // a week later, the following Sunday's silence (02:00 CEST = 00:00Z) exists once the pass ran
    clock.advance(7 * 24 * H);
    await scheduler.runOnce();
    const ids = silences.query().map((x) => `${iso(x.startsAt)} ${silenceState(x, clock.now())}`).sort();
    expect(ids).toEqual(['2026-03-29T01:00:00.000Z expired', '2026-04-05T00:00:00.000Z pending']);
  });

  it('a restart (or a second replica on the same storage) creates nothing twice; an occurrence a person expired stays expired', async () => {
    const a = boot();
    await a.scheduler.start();
    const s = await a.scheduler.add(SUNDAY);
    const id = occurrenceSilenceId(s.id, Date.parse('2026-03-29T01:00:00Z'));
    a.silences.expire(id, 'alice');
    clock.advance(1);
    a.scheduler.stop();
    a.silences.stop();
    const b = boot();
    await b.scheduler.start();
    expect(b.scheduler.list().map((x) => x.id)).toEqual([s.id]);
    expect(b.silences.query()).toHaveLength(1);
    expect(silenceState(b.silences.get(id)!, clock.now())).toBe('expired');
  });

  it('every interval a pass takes in schedules another replica stored and creates their silences', async () => {
    const { silences, scheduler } = boot();
    await scheduler.start();
    const other = new SilenceScheduler({ silences: boot().silences, store: sqliteScheduleStore(db), clock, logger: silentLogger() });
    const s = await other.add(SUNDAY); // "replica 2" (its own memory, the same database)
    expect(scheduler.list()).toEqual([]);
    clock.advance(60_000); // this replica's pass is due
    for (let i = 0; i < 200 && !silences.get(occurrenceSilenceId(s.id, Date.parse('2026-03-29T01:00:00Z'))); i++) {
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(scheduler.list().map((x) => x.id)).toEqual([s.id]);
    expect(silences.query().map((x) => iso(x.startsAt))).toEqual(['2026-03-29T01:00:00.000Z']);
  });

  it('deleting a schedule expires its pending silences and keeps the active one unless asked', async () => {
    const { silences, scheduler } = boot();
    await scheduler.start();
    const s = await scheduler.add({ ...SUNDAY, rrule: 'FREQ=HOURLY;BYMINUTE=0;BYSECOND=0', duration: 30 * 60_000 });
    clock.advance(15 * 60_000); // 12:15: the 12:00 occurrence is active
    await scheduler.runOnce();
    const before = silences.query();
    expect(before.length).toBeGreaterThan(20); // 24h ahead
    const active = occurrenceSilenceId(s.id, Date.parse('2026-03-26T12:00:00Z'));
    expect(silenceState(silences.get(active)!, clock.now())).toBe('active');
    const expired = await scheduler.delete(s.id);
    expect(expired).toHaveLength(before.length - 1);
    clock.advance(1); // an expired pending silence ends at the instant it was expired
    expect(silences.query({ states: ['pending'] })).toEqual([]);
    expect(silences.query({ states: ['active'] }).map((x) => x.id)).toEqual([active]);
    expect(scheduler.list()).toEqual([]);
    await expect(scheduler.delete(s.id)).rejects.toThrow('not found');

    const t = await scheduler.add({ ...SUNDAY, rrule: 'FREQ=HOURLY;BYMINUTE=0;BYSECOND=0', duration: 30 * 60_000, startsAt: Date.parse('2026-03-26T00:00:00Z') });
    await scheduler.delete(t.id, { expireActive: true });
    clock.advance(1);
    expect(silences.query({ states: ['active', 'pending'] }).map((x) => x.id)).toEqual([active]);
  });

  it('preview lists the next occurrences without storing anything; the default start is midnight in the zone', () => {
    const { silences, scheduler } = boot();
    const next = scheduler.preview({ ...SUNDAY, timeZone: 'America/New_York', rrule: 'FREQ=WEEKLY;BYDAY=SU;BYHOUR=1;BYMINUTE=30;BYSECOND=0' }, 3);
    expect(next.map((o) => iso(o.startsAt))).toEqual(['2026-03-29T05:30:00.000Z', '2026-04-05T05:30:00.000Z', '2026-04-12T05:30:00.000Z']);
    expect(next[0]!.endsAt - next[0]!.startsAt).toBe(2 * H);
    expect(silences.query()).toEqual([]);
    // no BYHOUR: the time of day is DTSTART's, midnight local by default
    expect(scheduler.preview({ ...SUNDAY, rrule: 'FREQ=DAILY' }, 1).map((o) => iso(o.startsAt))).toEqual(['2026-03-26T23:00:00.000Z']);
  });

  it.each([
    [{ rrule: 'FREQ=NEVER' }, 'rrule'],
    [{ timeZone: 'Mars/Olympus' }, 'timeZone'],
    [{ duration: 0 }, 'duration'],
    [{ matchers: [] }, 'matchers'],
    [{ matchers: [{ type: '=~', name: 'a', value: '(' }] }, 'matchers'],
    [{ createdBy: '' }, 'createdBy'],
  ] as [Partial<ScheduleInput>, string][])('refuses %j naming %s', (bad, field) => {
    const { scheduler } = boot();
    let err: unknown;
    try {
      scheduler.compile({ ...SUNDAY, ...bad });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScheduleError);
    expect((err as ScheduleError).field).toBe(field);
    expect((err as Error).message.startsWith(`${field}: `)).toBe(true);
  });
});
