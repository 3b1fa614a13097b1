/**
 * @module config/time-intervals
 * `time_intervals` / `mute_time_intervals` entries (§1.7; upstream config/config.go TimeInterval and
 * timeinterval/timeinterval.go UnmarshalYAML methods): validation with upstream's error texts, conversion to
 * TimeIntervalSpec. The field parsers (and evaluation) live in src/timeinterval; this module locates their errors.
 */
import { isSeq, type Node } from 'yaml';
import {
  parseDayOfMonthRange,
  parseMonthRange,
  parseTimeRange,
  parseWeekdayRange,
  parseYearRange,
  validateLocation,
} from '../timeinterval';
import type { InclusiveRange, TimeIntervalSpec } from '../timeinterval/types';
import { type At, f, type Field, type ObjectSchema } from '../schema/schema';
import type { TimeIntervalConfig } from './types';

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
      parseTimeRange({ start_time: o.start_time, end_time: o.end_time });
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
        validateLocation(o.location);
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
        return [parseTimeRange(t)];
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
