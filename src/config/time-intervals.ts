/**
 * @module config/time-intervals
 * `time_intervals` / `mute_time_intervals` entries (§1.7; upstream config/config.go TimeInterval and
 * timeinterval/timeinterval.go UnmarshalYAML methods): validation with upstream's error texts, conversion to
 * TimeIntervalSpec. Evaluation lives in src/timeinterval.
 */
import { isSeq, type Node } from 'yaml';
import type { InclusiveRange, TimeIntervalSpec, TimeRange } from '../timeinterval/types';
import { type At, f, type Field, type ObjectSchema } from './schema';
import type { TimeIntervalConfig } from './types';

const WEEKDAYS: Readonly<Record<string, number>> = { sunday: 0, monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6 };
const MONTHS: Readonly<Record<string, number>> = {
  january: 1,
  february: 2,
  march: 3,
  april: 4,
  may: 5,
  june: 6,
  july: 7,
  august: 8,
  september: 9,
  october: 10,
  november: 11,
  december: 12,
};
const MONTH_NAMES = Object.keys(MONTHS);

/** Go strconv.Atoi, with its error text. */
function atoi(s: string): number {
  if (!/^[+-]?[0-9]+$/.test(s)) throw new Error(`strconv.Atoi: parsing "${s}": invalid syntax`);
  return Number(s);
}

/** stringableRangeFromString: `a` or `a:b` (lower-cased), members converted by `member`. */
function parseRange(input: string, member: (s: string) => number): InclusiveRange {
  const s = input.toLowerCase();
  if (s.includes(':')) {
    const parts = s.split(':');
    if (parts.length !== 2) throw new Error(`couldn't parse range ${s}, invalid format`);
    return { begin: member(parts[0]!), end: member(parts[1]!) };
  }
  const v = member(s);
  return { begin: v, end: v };
}

export function parseWeekdayRange(s: string): InclusiveRange {
  const r = parseRange(s, (m) => {
    const v = WEEKDAYS[m];
    if (v === undefined) throw new Error(`${m} is not a valid weekday`);
    return v;
  });
  if (r.begin > r.end) throw new Error('start day cannot be before end day');
  return r;
}

export function parseDayOfMonthRange(s: string): InclusiveRange {
  const r = parseRange(s, atoi);
  for (const v of [r.begin, r.end]) {
    if (v === 0 || v < -31 || v > 31) throw new Error(`${v} is not a valid day of the month: out of range`);
  }
  if (r.begin < 0 && r.end > 0) throw new Error('end day must be negative if start day is negative');
  const cb = r.begin < 0 ? 28 + r.begin : r.begin;
  const ce = r.end < 0 ? 28 + r.end : r.end;
  if (cb > ce) throw new Error(`end day ${r.end} is always before start day ${r.begin}`);
  return r;
}

export function parseMonthRange(s: string): InclusiveRange {
  const r = parseRange(s, (m) => {
    const v = MONTHS[m];
    if (v !== undefined) return v;
    try {
      return atoi(m);
    } catch {
      throw new Error(`${m} is not a valid month`);
    }
  });
  if (r.begin > r.end) throw new Error(`end month ${MONTH_NAMES[r.end - 1] ?? ''} is before start month ${MONTH_NAMES[r.begin - 1] ?? ''}`);
  return r;
}

export function parseYearRange(s: string): InclusiveRange {
  const r = parseRange(s, atoi);
  if (r.begin > r.end) throw new Error(`end year ${r.end} is before start year ${r.begin}`);
  return r;
}

const VALID_TIME = /^((([01][0-9])|(2[0-3])):[0-5][0-9])$|(^24:00$)/;

function parseClock(s: string): number {
  if (!VALID_TIME.test(s)) throw new Error(`couldn't parse timestamp ${s}, invalid format`);
  const [h, m] = s.split(':');
  return Number(h) * 60 + Number(m);
}

export function parseTimeRange(start: string | undefined, end: string | undefined): TimeRange {
  if (!start || !end) throw new Error('both start and end times must be provided');
  const s = parseClock(start);
  const e = parseClock(end);
  if (s >= e) throw new Error('start time cannot be equal or greater than end time');
  return { startMinute: s, endMinute: e };
}

/** Go time.LoadLocation: "", "UTC", "Local" or an IANA name known to the runtime. */
export function checkLocation(name: string): void {
  if (name === '' || name === 'UTC' || name === 'Local') return;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
  } catch {
    throw new Error(`unknown time zone ${name}`);
  }
}

/** A list of range strings, each parsed (and errors located at the item). */
function rangeList(parse: (s: string) => InclusiveRange): Field<string[]> {
  const strings = f.stringList();
  return {
    kind: 'range-list',
    decode(node: Node, at: At) {
      const list = strings.decode(node, at);
      if (!list) return undefined;
      list.forEach((s, i) => {
        try {
          parse(s);
        } catch (e) {
          const item = isSeq(node) ? (node.items[i] as Node | undefined) : undefined;
          at.index(i, item ?? node).fail((e as Error).message);
        }
      });
      return list;
    },
    encode: (v) => v,
  };
}

const timeRangeSchema: ObjectSchema = {
  name: 'time range',
  fields: { start_time: f.string(), end_time: f.string() },
  check(o, at) {
    try {
      parseTimeRange(o.start_time as string | undefined, o.end_time as string | undefined);
    } catch (e) {
      at.fail((e as Error).message);
    }
  },
};

const specSchema: ObjectSchema = {
  name: 'time_interval',
  fields: {
    times: f.list(timeRangeSchema),
    weekdays: rangeList(parseWeekdayRange),
    days_of_month: rangeList(parseDayOfMonthRange),
    months: rangeList(parseMonthRange),
    years: rangeList(parseYearRange),
    location: f.string(),
  },
  check(o, at) {
    if (typeof o.location === 'string') {
      try {
        checkLocation(o.location);
      } catch (e) {
        at.failField('location', (e as Error).message);
      }
    }
  },
};

function entrySchema(kind: 'time interval' | 'mute time interval'): ObjectSchema {
  return {
    name: kind === 'time interval' ? 'time_intervals entry' : 'mute_time_intervals entry',
    fields: { name: f.string({ required: `missing name in ${kind}` }), time_intervals: f.list(specSchema, { nullItem: 'empty' }) },
  };
}

export const timeIntervalSchema = entrySchema('time interval');
export const muteTimeIntervalSchema = entrySchema('mute time interval');

function tryMap<T>(list: unknown, parse: (s: string) => T): T[] | undefined {
  if (!Array.isArray(list)) return undefined;
  const out: T[] = [];
  for (const s of list as string[]) {
    try {
      out.push(parse(s));
    } catch {
      /* reported during the walk */
    }
  }
  return out;
}

export function toTimeIntervalConfig(o: Record<string, unknown>): TimeIntervalConfig {
  const specs = ((o.time_intervals as Record<string, unknown>[] | undefined) ?? []).map((s) => {
    const spec: TimeIntervalSpec = {};
    const times = (s.times as Record<string, string>[] | undefined)?.flatMap((t) => {
      try {
        return [parseTimeRange(t.start_time, t.end_time)];
      } catch {
        return [];
      }
    });
    if (times) spec.times = times;
    const w = tryMap(s.weekdays, parseWeekdayRange);
    if (w) spec.weekdays = w;
    const d = tryMap(s.days_of_month, parseDayOfMonthRange);
    if (d) spec.days_of_month = d;
    const m = tryMap(s.months, parseMonthRange);
    if (m) spec.months = m;
    const y = tryMap(s.years, parseYearRange);
    if (y) spec.years = y;
    if (typeof s.location === 'string' && s.location !== '') spec.location = s.location;
    return spec;
  });
  return { name: o.name as string, time_intervals: specs };
}
