/**
 * Parsers for the fields of a <time_interval_spec> (upstream timeinterval/timeinterval.go UnmarshalYAML
 * methods). Each throws an Error whose message is upstream's exact text; the config loader adds the location.
 */
import { goQuote } from '../types/labels';
import type { InclusiveRange, TimeIntervalSpec, TimeRange } from './types';

const WEEKDAYS: Readonly<Record<string, number>> = {
  sunday: 0,
  monday: 1,
  tuesday: 2,
  wednesday: 3,
  thursday: 4,
  friday: 5,
  saturday: 6,
};

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
const MONTH_NAMES = ['', ...Object.keys(MONTHS)];

/** Go's strconv.Atoi, with its error texts. */
export function goAtoi(s: string): number {
  if (!/^[+-]?[0-9]+$/.test(s)) throw new Error(`strconv.Atoi: parsing ${goQuote(s)}: invalid syntax`);
  const n = Number(s);
  if (!Number.isSafeInteger(n)) throw new Error(`strconv.Atoi: parsing ${goQuote(s)}: value out of range`);
  return n;
}

function scalar(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new Error(`cannot unmarshal ${v === null ? 'null' : typeof v} into string`);
}

/** `a` or `a:b` (stringableRangeFromString): lower-cased, exactly one colon. */
function parseRange(raw: string, member: (s: string) => number): InclusiveRange {
  const s = raw.toLowerCase();
  if (s.includes(':')) {
    const parts = s.split(':');
    if (parts.length !== 2) throw new Error(`couldn't parse range ${s}, invalid format`);
    return { begin: member(parts[0]!), end: member(parts[1]!) };
  }
  const v = member(s);
  return { begin: v, end: v };
}

function listOf(v: unknown, field: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new Error(`${field} must be a list`);
  return v;
}

// --- times --------------------------------------------------------------------------------------------------------

const VALID_TIME_RE = /^((([01][0-9])|(2[0-3])):[0-5][0-9])$|(^24:00$)/;

/** `HH:MM` to minute of day; `24:00` allowed (only useful as an end). */
export function parseClockTime(s: string): number {
  if (!VALID_TIME_RE.test(s)) throw new Error(`couldn't parse timestamp ${s}, invalid format`);
  const [h, m] = s.split(':');
  return Number(h) * 60 + Number(m);
}

export function parseTimeRange(raw: unknown): TimeRange {
  const o = (raw ?? {}) as { start_time?: unknown; end_time?: unknown };
  if (typeof o !== 'object') throw new Error('both start and end times must be provided');
  const start = o.start_time === undefined || o.start_time === null ? '' : scalar(o.start_time);
  const end = o.end_time === undefined || o.end_time === null ? '' : scalar(o.end_time);
  if (start === '' || end === '') throw new Error('both start and end times must be provided');
  const startMinute = parseClockTime(start);
  const endMinute = parseClockTime(end);
  if (startMinute >= endMinute) throw new Error('start time cannot be equal or greater than end time');
  return { startMinute, endMinute };
}

export function parseTimes(raw: unknown): TimeRange[] {
  return listOf(raw, 'times').map(parseTimeRange);
}

// --- weekdays -----------------------------------------------------------------------------------------------------

export function parseWeekdayRange(raw: unknown): InclusiveRange {
  const str = scalar(raw);
  const r = parseRange(str, (s) => {
    const v = WEEKDAYS[s];
    if (v === undefined || !Object.hasOwn(WEEKDAYS, s)) throw new Error(`${s} is not a valid weekday`);
    return v;
  });
  if (r.begin > r.end) throw new Error('start day cannot be before end day');
  return r;
}

export function parseWeekdays(raw: unknown): InclusiveRange[] {
  return listOf(raw, 'weekdays').map(parseWeekdayRange);
}

// --- days_of_month ------------------------------------------------------------------------------------------------

export function parseDayOfMonthRange(raw: unknown): InclusiveRange {
  const r = parseRange(scalar(raw), goAtoi);
  if (r.begin === 0 || r.begin < -31 || r.begin > 31) throw new Error(`${r.begin} is not a valid day of the month: out of range`);
  if (r.end === 0 || r.end < -31 || r.end > 31) throw new Error(`${r.end} is not a valid day of the month: out of range`);
  if (r.begin < 0 && r.end > 0) throw new Error('end day must be negative if start day is negative');
  // Negative days are checked against a 28-day month, the shortest.
  const checkBegin = r.begin < 0 ? 28 + r.begin : r.begin;
  const checkEnd = r.end < 0 ? 28 + r.end : r.end;
  if (checkBegin > checkEnd) throw new Error(`end day ${r.end} is always before start day ${r.begin}`);
  return r;
}

export function parseDaysOfMonth(raw: unknown): InclusiveRange[] {
  return listOf(raw, 'days_of_month').map(parseDayOfMonthRange);
}

// --- months -------------------------------------------------------------------------------------------------------

export function parseMonthRange(raw: unknown): InclusiveRange {
  const r = parseRange(scalar(raw), (s) => {
    if (Object.hasOwn(MONTHS, s)) return MONTHS[s]!;
    try {
      return goAtoi(s); // numeric months are not range checked (as upstream)
    } catch {
      throw new Error(`${s} is not a valid month`);
    }
  });
  if (r.begin > r.end) {
    throw new Error(`end month ${MONTH_NAMES[r.end] ?? ''} is before start month ${MONTH_NAMES[r.begin] ?? ''}`);
  }
  return r;
}

export function parseMonths(raw: unknown): InclusiveRange[] {
  return listOf(raw, 'months').map(parseMonthRange);
}

// --- years --------------------------------------------------------------------------------------------------------

export function parseYearRange(raw: unknown): InclusiveRange {
  const r = parseRange(scalar(raw), goAtoi);
  if (r.begin > r.end) throw new Error(`end year ${r.end} is before start year ${r.begin}`);
  return r;
}

export function parseYears(raw: unknown): InclusiveRange[] {
  return listOf(raw, 'years').map(parseYearRange);
}

// --- location -----------------------------------------------------------------------------------------------------

/**
 * Validates a zone name as Go's time.LoadLocation would: '' and 'UTC' are UTC, 'Local' is the process zone,
 * anything else must be a known IANA zone name (case-sensitive, as Go reads it from the zoneinfo database).
 * Returns the name to store ('UTC' for ''); throws `unknown time zone X`.
 */
export function validateLocation(raw: unknown): string {
  const name = scalar(raw);
  if (name === '' || name === 'UTC') return 'UTC';
  if (name === 'Local') return 'Local';
  if (name.includes('..') || name.startsWith('/') || name.startsWith('\\')) throw new Error('time: invalid location name');
  // Offsets such as "+01:00" are accepted by Intl but are not zone names.
  if (!/^[A-Za-z]/.test(name)) throw new Error(`unknown time zone ${name}`);
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    throw new Error(`unknown time zone ${name}`);
  }
  // Intl matches case-insensitively; the zoneinfo lookup does not.
  if (resolved !== name && resolved.toLowerCase() === name.toLowerCase()) throw new Error(`unknown time zone ${name}`);
  return name;
}

// --- whole spec ---------------------------------------------------------------------------------------------------

const SPEC_FIELDS = new Set(['times', 'weekdays', 'days_of_month', 'months', 'years', 'location']);

/**
 * Parses one <time_interval_spec> mapping (YAML key names). Omitted fields stay undefined (match everything).
 * An unknown key throws `field x not found in type timeinterval.TimeInterval`, as yaml.v2 strict mode words it.
 */
export function parseTimeIntervalSpec(raw: unknown): TimeIntervalSpec {
  if (raw === null || raw === undefined) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new Error('time interval must be a mapping');
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!SPEC_FIELDS.has(k)) throw new Error(`field ${k} not found in type timeinterval.TimeInterval`);
  }
  const spec: TimeIntervalSpec = {};
  if (o.times != null) spec.times = parseTimes(o.times);
  if (o.weekdays != null) spec.weekdays = parseWeekdays(o.weekdays);
  if (o.days_of_month != null) spec.days_of_month = parseDaysOfMonth(o.days_of_month);
  if (o.months != null) spec.months = parseMonths(o.months);
  if (o.years != null) spec.years = parseYears(o.years);
  if (o.location != null) spec.location = validateLocation(o.location);
  return spec;
}
