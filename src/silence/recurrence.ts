/**
 * @module silence/recurrence
 * When a silence schedule's occurrences start: an RFC 5545 RRULE evaluated on the wall clock of an IANA time
 * zone. The rule is expanded by `rrule-temporal` (RFC 5545 with the Temporal API); times are placed in the zone
 * with `@js-temporal/polyfill` (the TC39 champions' Temporal; Node 20 has no native Temporal).
 *
 * Daylight saving (RFC 5545 section 3.3.5, the DATE-TIME rules, which Temporal's `compatible` disambiguation
 * implements):
 * - a local time that does not exist (spring forward: 02:30 on the day clocks jump from 02:00 to 03:00) is
 *   read with the offset before the gap, i.e. it moves forward by the gap (02:30 -> 03:30 summer time). The
 *   occurrence still happens: a maintenance window does not vanish on the day the clocks change.
 *   (rrule-temporal on its own drops such occurrences, as RFC 5545 section 3.3.10 says for generated
 *   instances; so the rule is expanded on a floating wall clock and placed in the zone here.)
 * - a local time that occurs twice (fall back: 02:30 on the day clocks go from 03:00 back to 02:00) is the
 *   FIRST of the two (summer time).
 * A schedule's duration is elapsed time: 2h from 02:00 on the fall-back day ends at 03:00 winter time.
 * A cron expression (instead of the RRULE; parsed and stepped by `croner`) is read on the same floating wall
 * clock, so the same rules apply to it.
 */
import { Cron } from 'croner';
import { RRuleTemporal } from 'rrule-temporal';
import { Temporal } from '@js-temporal/polyfill';

/** Bad input, naming the field it came from (the API answers 400 with it). */
export class RecurrenceError extends Error {
  readonly field: 'rrule' | 'cron' | 'timeZone' | 'startsAt';
  constructor(field: 'rrule' | 'cron' | 'timeZone' | 'startsAt', message: string) {
    super(`${field}: ${message}`);
    this.field = field;
    this.name = 'RecurrenceError';
  }
}

/** RRULE parts of RFC 5545 section 3.3.10 (and RFC 7529's RSCALE, SKIP); anything else is refused. */
const RRULE_PARTS = new Set([
  'FREQ', 'UNTIL', 'COUNT', 'INTERVAL', 'BYSECOND', 'BYMINUTE', 'BYHOUR', 'BYDAY', 'BYMONTHDAY', 'BYYEARDAY',
  'BYWEEKNO', 'BYMONTH', 'BYSETPOS', 'WKST', 'RSCALE', 'SKIP',
]);

export interface RecurrenceSpec {
  /** `FREQ=WEEKLY;BYDAY=SU;BYHOUR=2` (an `RRULE:` prefix is accepted); or `cron` */
  rrule?: string | undefined;
  /** a cron expression on the zone's wall clock, e.g. `0 2 * * 0` (croner's syntax; seconds optional) */
  cron?: string | undefined;
  /** IANA zone, e.g. Europe/Berlin */
  timeZone: string;
  /** epoch ms: the rule's DTSTART (its time of day applies where the rule has no BYHOUR/BYMINUTE/BYSECOND) */
  startsAt: number;
}

/** The rule without an `RRULE:` prefix, its parts' names checked (the library ignores unknown ones). */
export function normalizeRrule(raw: string): string {
  const rule = raw.trim().replace(/^RRULE:/i, '');
  if (rule === '') throw new RecurrenceError('rrule', 'is empty');
  if (/[\r\n]/.test(rule)) throw new RecurrenceError('rrule', 'must be one RRULE line (no DTSTART: use startsAt and timeZone)');
  for (const part of rule.split(';')) {
    const name = part.split('=', 1)[0]!.trim().toUpperCase();
    if (!part.includes('=') || !RRULE_PARTS.has(name)) throw new RecurrenceError('rrule', `unknown rule part ${JSON.stringify(part)}`);
  }
  return rule;
}

/** Throws RecurrenceError('timeZone') unless `tz` is an IANA zone the runtime knows. */
export function checkTimeZone(tz: string): void {
  if (tz.trim() === '') throw new RecurrenceError('timeZone', 'is empty');
  try {
    Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(tz);
  } catch {
    throw new RecurrenceError('timeZone', `unknown time zone ${JSON.stringify(tz)}`);
  }
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A compiled recurrence: occurrence starts (epoch ms) in a time range, or the next ones. */
export class Recurrence {
  readonly #rule: RRuleTemporal | undefined;
  readonly #cron: Cron | undefined;
  /** the floating ms of the start: a cron expression has nothing before it */
  readonly #startFloating: number;
  readonly #tz: string;

  constructor(spec: RecurrenceSpec) {
    if ((spec.rrule === undefined) === (spec.cron === undefined)) throw new RecurrenceError('rrule', 'give one of rrule and cron');
    checkTimeZone(spec.timeZone);
    if (!Number.isFinite(spec.startsAt)) throw new RecurrenceError('startsAt', 'is not a time');
    this.#tz = spec.timeZone;
    // DTSTART on the zone's wall clock, whole seconds, expanded on a floating clock (see the module comment)
    const start = Temporal.Instant.fromEpochMilliseconds(Math.floor(spec.startsAt / 1000) * 1000).toZonedDateTimeISO(spec.timeZone);
    this.#startFloating = start.toPlainDateTime().toZonedDateTime('UTC').epochMilliseconds;
    if (spec.cron !== undefined) {
      this.#cron = compileCron(spec.cron);
      return;
    }
    const rule = normalizeRrule(spec.rrule!);
    const dtstart = `${pad(start.year, 4)}${pad(start.month)}${pad(start.day)}T${pad(start.hour)}${pad(start.minute)}${pad(start.second)}`;
    try {
      this.#rule = new RRuleTemporal({ rruleString: `DTSTART;TZID=UTC:${dtstart}\nRRULE:${rule}` });
      this.#rule.next(); // rules that parse but cannot run (INTERVAL=0, ...) fail here
    } catch (e) {
      throw new RecurrenceError('rrule', (e as Error).message);
    }
  }

  /** the floating (wall clock read as UTC) ms of an instant */
  #floating(ms: number): number {
    return Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(this.#tz).toPlainDateTime().toZonedDateTime('UTC').epochMilliseconds;
  }

  /** the instant a floating wall-clock time stands for in the zone (gap: moved forward; overlap: the first) */
  #instant(floating: number): number {
    return Temporal.Instant.fromEpochMilliseconds(floating)
      .toZonedDateTimeISO('UTC')
      .toPlainDateTime()
      .toZonedDateTime(this.#tz, { disambiguation: 'compatible' }).epochMilliseconds;
  }

  /** the first floating occurrence strictly after `after` (floating ms), or null */
  #nextFloating(after: number): number | null {
    if (this.#cron) return this.#cron.nextRun(new Date(Math.max(after, this.#startFloating - 1)))?.getTime() ?? null;
    return this.#rule!.next(new Date(after))?.epochMilliseconds ?? null;
  }

  /** Occurrence starts in [from, to] (epoch ms), ascending, at most `limit`. */
  between(from: number, to: number, limit = Number.POSITIVE_INFINITY): number[] {
    if (to < from || limit <= 0) return [];
    const found: number[] = [];
    // a day either side covers any offset between the wall clock and the instant
    const lo = this.#floating(from) - 86_400_000;
    const hi = this.#floating(to) + 86_400_000;
    const take = (f: number) => {
      const t = this.#instant(f);
      if (t >= from && t <= to) found.push(t);
    };
    if (this.#rule) {
      for (const h of this.#rule.between(new Date(lo), new Date(hi), true)) take(h.epochMilliseconds);
    } else {
      for (let f = this.#nextFloating(lo - 1); f !== null && f <= hi && found.length < MAX_SCAN; f = this.#nextFloating(f)) take(f);
    }
    return ascendingUnique(found).slice(0, limit);
  }

  /** The first `n` occurrence starts at or after `from` (epoch ms), ascending. */
  next(from: number, n: number): number[] {
    const found: number[] = [];
    // from a day before (offsets), skipping what lies before `from`; a few more than n, as a time moved out of a
    // daylight-saving gap may come after the next wall-clock time
    for (let f = this.#nextFloating(this.#floating(from) - 86_400_000 - 1); f !== null && found.length < n + 4; f = this.#nextFloating(f)) {
      const t = this.#instant(f);
      if (t >= from) found.push(t);
    }
    return ascendingUnique(found).slice(0, n);
  }
}

/** at most this many cron times per between() (a every-second cron over a long range) */
const MAX_SCAN = 100_000;

/** sorted, without repeats (a daylight-saving gap can map two wall times onto one instant, and out of order) */
function ascendingUnique(ts: number[]): number[] {
  ts.sort((a, b) => a - b);
  return ts.filter((t, i) => i === 0 || ts[i - 1] !== t);
}

/** A 5-field (or 6, with seconds) cron expression on the floating clock; 400 naming `cron` when bad. */
function compileCron(expr: string): Cron {
  if (expr.trim() === '') throw new RecurrenceError('cron', 'is empty');
  try {
    return new Cron(expr.trim(), { timezone: 'UTC', paused: true });
  } catch (e) {
    throw new RecurrenceError('cron', (e as Error).message);
  }
}
