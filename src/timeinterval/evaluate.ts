/**
 * Evaluation of time intervals at an instant (upstream timeinterval.TimeInterval.ContainsTime and Intervener).
 * Wall-clock fields in the spec's zone come from Intl (no tz library).
 */
import { daysInMonth } from '../go/time';
import { cachedDateTimeFormat } from '../types/lru';
import type { TimeIntervalSpec } from './types';

export interface WallClock {
  year: number;
  /** 1..12 */
  month: number;
  /** 1..31 */
  day: number;
  /** 0..23 */
  hour: number;
  minute: number;
  /** Sunday=0..Saturday=6 */
  weekday: number;
}

const WEEKDAY_INDEX: Readonly<Record<string, number>> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

const WALL_CLOCK_FORMAT: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  weekday: 'short',
  hourCycle: 'h23',
};

/** Formatters come from the bounded per-zone cache shared with go-time (creating one costs ~50µs). */
function formatterFor(zone: string | undefined): Intl.DateTimeFormat {
  return cachedDateTimeFormat('timeinterval', 'en-US', zone, WALL_CLOCK_FORMAT);
}

/** The wall clock at epochMs in `location` (IANA name, 'UTC'/undefined, or 'Local' = the process zone). */
export function wallClock(epochMs: number, location?: string): WallClock {
  if (location === undefined || location === 'UTC' || location === '') {
    const d = new Date(epochMs);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      weekday: d.getUTCDay(),
    };
  }
  if (location === 'Local') {
    const d = new Date(epochMs);
    return {
      year: d.getFullYear(),
      month: d.getMonth() + 1,
      day: d.getDate(),
      hour: d.getHours(),
      minute: d.getMinutes(),
      weekday: d.getDay(),
    };
  }
  const w: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, weekday: 0 };
  for (const p of formatterFor(location).formatToParts(epochMs)) {
    switch (p.type) {
      case 'year':
        w.year = Number(p.value);
        break;
      case 'month':
        w.month = Number(p.value);
        break;
      case 'day':
        w.day = Number(p.value);
        break;
      case 'hour':
        w.hour = Number(p.value) % 24;
        break;
      case 'minute':
        w.minute = Number(p.value);
        break;
      case 'weekday':
        w.weekday = WEEKDAY_INDEX[p.value] ?? 0;
        break;
    }
  }
  return w;
}

/** Days in a calendar month (month 1..12); independent of zone and DST. */
export { daysInMonth };

function clamp(n: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, n));
}

/** True if the instant lies in the spec: every present field matches (AND), any element of a field (OR). */
export function containsTime(spec: TimeIntervalSpec, epochMs: number): boolean {
  const t = wallClock(epochMs, spec.location);
  if (spec.times) {
    const m = t.hour * 60 + t.minute;
    if (!spec.times.some((r) => m >= r.startMinute && m < r.endMinute)) return false;
  }
  if (spec.days_of_month) {
    const dim = daysInMonth(t.year, t.month);
    const ok = spec.days_of_month.some((r) => {
      let begin = r.begin < 0 ? dim + r.begin + 1 : r.begin;
      let end = r.end < 0 ? dim + r.end + 1 : r.end;
      if (begin > dim) return false;
      begin = clamp(begin, -dim, dim);
      end = clamp(end, -dim, dim);
      return t.day >= begin && t.day <= end;
    });
    if (!ok) return false;
  }
  if (spec.months && !spec.months.some((r) => t.month >= r.begin && t.month <= r.end)) return false;
  if (spec.weekdays && !spec.weekdays.some((r) => t.weekday >= r.begin && t.weekday <= r.end)) return false;
  if (spec.years && !spec.years.some((r) => t.year >= r.begin && t.year <= r.end)) return false;
  return true;
}

/** A named time interval is active if any of its specs contains the instant. */
export function isActive(specs: readonly TimeIntervalSpec[], epochMs: number): boolean {
  return specs.some((s) => containsTime(s, epochMs));
}

/**
 * Upstream Intervener.Mutes: the names (of `names`) whose intervals contain the instant, in order.
 * Throws `time interval x doesn't exist in config` for an unknown name.
 */
export function activeIntervalNames(
  intervals: ReadonlyMap<string, readonly TimeIntervalSpec[]>,
  names: readonly string[],
  epochMs: number,
): string[] {
  const out: string[] = [];
  for (const name of names) {
    const specs = intervals.get(name);
    if (!specs) throw new Error(`time interval ${name} doesn't exist in config`);
    if (isActive(specs, epochMs)) out.push(name);
  }
  return out;
}
