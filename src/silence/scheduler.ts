/**
 * @module silence/scheduler
 * Runs the silence schedules: every `interval` (and when a schedule is added) each schedule's occurrences that
 * start within `horizon` (and always the next one, and one in progress) become ordinary silences, created once
 * each under an id derived from (schedule, occurrence start) (Silences.createOnce). A restart, or a second
 * replica over the same storage, creates nothing twice, and an occurrence silence a person expired stays
 * expired. Deleting a schedule expires its pending silences (and, when asked, the active one).
 */
import { randomUUID } from 'node:crypto';
import type { MatcherParseMode } from '../matchers/parse';
import { DEFAULT_PARSE_MODE } from '../matchers/parse';
import type { Clock, TimerHandle } from '../types/clock';
import { NotFoundError, ValidationError } from '../types/errors';
import type { Logger } from '../types/logger';
import type { Recurrence } from './recurrence';

type RecurrenceModule = typeof import('./recurrence');
let recurrenceModule: RecurrenceModule | undefined;
/**
 * rrule-temporal, croner and the Temporal polyfill load on first use: most servers have no schedule, and loading
 * them at start costs startup time and memory (the polyfill alone is several hundred kB of code).
 */
function rec(): RecurrenceModule {
  recurrenceModule ??= require('./recurrence') as RecurrenceModule;
  return recurrenceModule;
}
import { occurrenceComment, occurrenceSilenceId, SCHEDULE_ANNOTATION, type ScheduleStore, type SilenceSchedule } from './schedule';
import type { Silences } from './silences';
import { type SilenceMatcherInput, silenceState } from './types';
import { validateSilence } from './validate';

/** What a client gives to create a schedule (duration in ms; startsAt epoch ms, default: today 00:00 in the zone). */
export interface ScheduleInput {
  matchers: SilenceMatcherInput[];
  /** one of rrule and cron */
  rrule?: string | undefined;
  cron?: string | undefined;
  timeZone: string;
  duration: number;
  startsAt?: number | undefined;
  createdBy: string;
  comment: string;
}

/** Bad schedule input, naming the field (the API answers 400). */
export class ScheduleError extends ValidationError {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message.startsWith(`${field}:`) ? message : `${field}: ${message}`);
    this.field = field;
  }
}

export interface Occurrence {
  startsAt: number;
  endsAt: number;
  /** the id of the silence standing for it */
  silenceId: string;
}

export interface SilenceSchedulerOptions {
  silences: Silences;
  store: ScheduleStore;
  clock: Clock;
  logger: Logger;
  /** occurrences starting within this long get their silence now (default 24h); the next one always does */
  horizon?: number | undefined;
  /** how often the schedules are looked at (default 1m) */
  interval?: number | undefined;
  /** at most this many silences per schedule and pass (default 100) */
  maxAhead?: number | undefined;
  matcherMode?: MatcherParseMode | undefined;
}

const DAY = 86_400_000;
/** a schedule's longest occurrence: a longer one could overlap its next occurrence for most rules anyway */
const MAX_DURATION = 366 * DAY;

interface Entry {
  schedule: SilenceSchedule;
  recurrence: Recurrence;
  /**
   * the start of the first occurrence the last pass left for later (epoch ms; Infinity: none left), and of the
   * last one it created: while the first is beyond the horizon and the last has not started (so the next
   * occurrence has its silence), a pass has nothing to do for this schedule
   */
  nextDue?: number;
  lastStart?: number;
}

/** schedules looked at between two yields to the event loop */
const SLICE = 50;

/** the midnight of `now`'s day in the zone (a schedule's default DTSTART: times of day come from the rule) */
function startOfDay(now: number, timeZone: string): number {
  const r = new (rec().Recurrence)({ rrule: 'FREQ=DAILY;BYHOUR=0;BYMINUTE=0;BYSECOND=0', timeZone, startsAt: now - 2 * DAY });
  const days = r.between(now - 2 * DAY, now);
  return days[days.length - 1] ?? now;
}

export class SilenceScheduler {
  readonly #o: Required<Omit<SilenceSchedulerOptions, 'matcherMode'>> & { matcherMode: MatcherParseMode };
  readonly #entries = new Map<string, Entry>();
  #timer: TimerHandle | undefined;
  #running: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(o: SilenceSchedulerOptions) {
    this.#o = {
      ...o,
      horizon: o.horizon ?? DAY,
      interval: o.interval ?? 60_000,
      maxAhead: o.maxAhead ?? 100,
      matcherMode: o.matcherMode ?? DEFAULT_PARSE_MODE,
    };
  }

  /** Loads the stored schedules, creates what is due and runs every `interval` until stop(). */
  async start(): Promise<void> {
    this.#stopped = false;
    await this.runOnce();
    this.#arm();
  }

  /**
   * Takes in the stored schedules: ones another replica added run here too, ones it deleted stop (their
   * silences were expired there). A store that cannot be read keeps the schedules held.
   */
  async #reconcile(): Promise<void> {
    let stored: SilenceSchedule[];
    try {
      stored = await this.#o.store.loadAll();
    } catch (e) {
      this.#o.logger.warn({ err: e }, 'Reading silence schedules failed; running the ones held');
      return;
    }
    const ids = new Set(stored.map((s) => s.id));
    for (const id of this.#entries.keys()) if (!ids.has(id)) this.#entries.delete(id);
    for (const s of stored) {
      if (this.#entries.has(s.id)) continue;
      try {
        this.#entries.set(s.id, { schedule: s, recurrence: new (rec().Recurrence)(s) });
      } catch (e) {
        this.#o.logger.error({ err: e, schedule_id: s.id }, 'Stored silence schedule cannot be evaluated; skipped');
      }
    }
  }

  stop(): void {
    this.#stopped = true;
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  #arm(): void {
    if (this.#stopped) return;
    this.#timer = this.#o.clock.setTimer(this.#o.interval, () => {
      this.runOnce()
        .catch((e: unknown) => this.#o.logger.error({ err: e }, 'Silence schedule pass failed'))
        .finally(() => this.#arm());
    });
  }

  /** One pass over every schedule (passes never overlap). */
  runOnce(): Promise<void> {
    const run = async () => {
      await this.#reconcile();
      let n = 0;
      for (const e of [...this.#entries.values()]) {
        await this.#materialize(e);
        if (++n % SLICE === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      }
    };
    const pass = this.#running.then(run);
    this.#running = pass.catch(() => undefined); // the next pass (and delete) never waits on a failed one's error
    return pass;
  }

  /** Checks `input` and compiles its recurrence; throws ScheduleError naming the field. */
  compile(input: ScheduleInput): { schedule: Omit<SilenceSchedule, 'id' | 'createdAt'>; recurrence: Recurrence } {
    const now = this.#o.clock.now();
    if (!Number.isFinite(input.duration) || input.duration <= 0) throw new ScheduleError('duration', 'must be a positive duration such as 2h');
    if (input.duration > MAX_DURATION) throw new ScheduleError('duration', 'must be at most 366d');
    if (input.createdBy.trim() === '') throw new ScheduleError('createdBy', 'is required');
    if (input.comment.trim() === '') throw new ScheduleError('comment', 'is required');
    const checked = validateSilence({ matcherSets: [input.matchers], startsAt: now, endsAt: now + input.duration, createdBy: input.createdBy, comment: input.comment }, this.#o.matcherMode);
    if ('error' in checked) throw new ScheduleError('matchers', checked.error);
    let recurrence: Recurrence;
    let startsAt: number;
    try {
      startsAt = input.startsAt ?? startOfDay(now, input.timeZone);
      recurrence = new (rec().Recurrence)({ rrule: input.rrule, cron: input.cron, timeZone: input.timeZone, startsAt });
    } catch (e) {
      if (e instanceof rec().RecurrenceError) throw new ScheduleError(e.field, e.message);
      throw e;
    }
    const rule = input.cron !== undefined ? { cron: input.cron.trim() } : { rrule: input.rrule!.trim().replace(/^RRULE:/i, '') };
    return {
      schedule: { matchers: input.matchers.map((m) => ({ type: m.type, name: m.name, value: m.value })), ...rule, timeZone: input.timeZone, duration: input.duration, startsAt, createdBy: input.createdBy, comment: input.comment },
      recurrence,
    };
  }

  /** The next `n` occurrences `input` would have (nothing stored). */
  preview(input: ScheduleInput, n: number): Occurrence[] {
    const { recurrence, schedule } = this.compile(input);
    return this.#next({ ...schedule, id: '' }, recurrence, n);
  }

  /** Stores a new schedule and creates its due silences; resolves with it once durable. */
  async add(input: ScheduleInput): Promise<SilenceSchedule> {
    const { schedule: s, recurrence } = this.compile(input);
    const schedule: SilenceSchedule = { ...s, id: randomUUID(), createdAt: this.#o.clock.now() };
    await this.#o.store.put(schedule);
    const entry = { schedule, recurrence };
    this.#entries.set(schedule.id, entry);
    await this.#materialize(entry);
    return schedule;
  }

  list(): SilenceSchedule[] {
    return [...this.#entries.values()].map((e) => e.schedule).sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  }

  get(id: string): SilenceSchedule | undefined {
    return this.#entries.get(id)?.schedule;
  }

  /** The occurrence in progress (if any) and the next ones, `n` in all. */
  occurrences(id: string, n: number): Occurrence[] {
    const e = this.#entries.get(id);
    if (!e) throw new NotFoundError('silence schedule not found');
    return this.#next(e.schedule, e.recurrence, n);
  }

  #next(s: Pick<SilenceSchedule, 'id' | 'duration'>, r: Recurrence, n: number): Occurrence[] {
    const now = this.#o.clock.now();
    return r.next(now - s.duration + 1, n).map((t) => ({ startsAt: t, endsAt: t + s.duration, silenceId: occurrenceSilenceId(s.id, t) }));
  }

  /**
   * Deletes a schedule and expires its pending silences; `expireActive` also ends the one in progress (by default
   * it runs to its end: the maintenance it covers is under way). Resolves with the expired silences' ids.
   */
  async delete(id: string, opts: { expireActive?: boolean; user?: string } = {}): Promise<string[]> {
    const e = this.#entries.get(id);
    if (!e) throw new NotFoundError('silence schedule not found');
    await this.#running; // a pass creating its silences finishes first
    await this.#o.store.delete(id);
    this.#entries.delete(id);
    const now = this.#o.clock.now();
    const ids = new Set(e.recurrence.between(now - e.schedule.duration, now + this.#o.horizon + this.#o.interval).map((t) => occurrenceSilenceId(id, t)));
    for (const s of this.#o.silences.query({ states: ['active', 'pending'] })) {
      if (s.annotations[SCHEDULE_ANNOTATION] === id) ids.add(s.id);
    }
    const expired: string[] = [];
    for (const sid of ids) {
      const s = this.#o.silences.get(sid);
      if (!s) continue;
      const state = silenceState(s, now);
      if (state === 'expired' || (state === 'active' && !opts.expireActive)) continue;
      this.#o.silences.expire(sid, opts.user);
      expired.push(sid);
    }
    return expired;
  }

  async #materialize(e: Entry): Promise<void> {
    const { schedule: s, recurrence: r } = e;
    const now = this.#o.clock.now();
    if (e.nextDue !== undefined && e.nextDue > now + this.#o.horizon && (e.lastStart ?? Number.NEGATIVE_INFINITY) > now) return;
    let starts = r.between(now - s.duration + 1, now + this.#o.horizon, this.#o.maxAhead);
    if (starts.length === 0) starts = r.next(now, 1);
    const last = starts[starts.length - 1];
    e.lastStart = last;
    e.nextDue = last === undefined ? Number.POSITIVE_INFINITY : (r.next(last + 1, 1)[0] ?? Number.POSITIVE_INFINITY);
    for (const t of starts) {
      if (!this.#entries.has(s.id)) return; // deleted meanwhile
      try {
        await this.#o.silences.createOnce({
          id: occurrenceSilenceId(s.id, t),
          matcherSets: [s.matchers],
          startsAt: t,
          endsAt: t + s.duration,
          createdBy: s.createdBy,
          comment: occurrenceComment(s),
          annotations: { [SCHEDULE_ANNOTATION]: s.id },
        });
      } catch (err) {
        this.#o.logger.error({ err, schedule_id: s.id, occurrence: new Date(t).toISOString() }, 'Creating a scheduled silence failed');
        e.nextDue = undefined; // try again next pass
        return;
      }
    }
  }
}
