/**
 * @module go/strfmt-time
 * Parsing of openapi `date-time` values as go-openapi/strfmt's DateTime does (used by upstream's generated API
 * models): RFC 3339 with optional fraction, `.000Z0700`/`.000000Z0700` forms, local forms without zone (UTC),
 * reduced precision `2006-01-02T15:04[Z]` and `2006-01-02 15:04:05`. A failure reports the error of the last
 * layout tried, in Go's time.Parse wording, as upstream's 400 answers show
 * (e.g. `parsing time "xyz" as "2006-01-02 15:04:05": cannot parse "xyz" as "2006"`).
 */
import { daysInMonth, GO_ZERO_MS } from './time';
import { goQuote } from '../types/labels';

function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

// date, 'T' or ' ', time, optional seconds+fraction, optional zone
const RE = /^(\d{4})-(\d{2})-(\d{2})([T ])(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2}|[+-]\d{4})?$/;

export class GoTimeError extends Error {}

/** Returns epoch ms (Go's zero time maps to 0, "unset"). Throws GoTimeError with Go's message. */
export function parseStrfmtDateTime(s: string): number {
  if (s === '') return 0;
  const m = RE.exec(s);
  if (m) {
    const [, ys, mos, ds, sep, hs, mis, ss, frac, zone] = m;
    const y = Number(ys);
    const mo = Number(mos);
    const d = Number(ds);
    const h = Number(hs);
    const mi = Number(mis);
    const sec = ss === undefined ? 0 : Number(ss);
    let ok = mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo) && h <= 23 && mi <= 59 && sec <= 59;
    if (sep === ' ' && (ss === undefined || zone !== undefined)) ok = false;
    if (ss === undefined && zone !== undefined && zone !== 'Z') ok = false;
    // offsets without colon exist only in the .000 / .000000 layouts
    if (zone !== undefined && zone.length === 5 && !(frac !== undefined && (frac.length === 3 || frac.length === 6))) ok = false;
    if (ok) {
      let offsetMin = 0;
      if (zone !== undefined && zone !== 'Z') {
        const sign = zone[0] === '-' ? -1 : 1;
        const z = zone.slice(1).replace(':', '');
        offsetMin = sign * (Number(z.slice(0, 2)) * 60 + Number(z.slice(2, 4)));
      }
      const ms = frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000 + 1e-9);
      const t = (daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offsetMin * 60) * 1000 + ms;
      return t === GO_ZERO_MS ? 0 : t;
    }
  }
  throw new GoTimeError(lastLayoutError(s));
}

/** Go's time.Parse(`2006-01-02 15:04:05`, s) error text. */
function lastLayoutError(value: string): string {
  const layout = '2006-01-02 15:04:05';
  const prefix = `parsing time ${goQuote(value)}`;
  const cannot = (rest: string, elem: string) => `${prefix} as ${goQuote(layout)}: cannot parse ${goQuote(rest)} as ${goQuote(elem)}`;
  let v = value;
  const digits = (k: number, elem: string): number => {
    const part = v.slice(0, k);
    if (part.length < k || !/^\d+$/.test(part)) throw new GoTimeError(cannot(v, elem));
    v = v.slice(k);
    return Number(part);
  };
  const hour = (): number => {
    // stdHour: one or two digits
    const mm = /^\d\d?/.exec(v);
    if (!mm) throw new GoTimeError(cannot(v, '15'));
    v = v.slice(mm[0].length);
    return Number(mm[0]);
  };
  const lit = (c: string) => {
    if (c === ' ') {
      if (v.length > 0 && v[0] !== ' ') throw new GoTimeError(cannot(v, ' '));
      v = v.replace(/^ +/, '');
      return;
    }
    if (!v.startsWith(c)) throw new GoTimeError(cannot(v, c));
    v = v.slice(c.length);
  };
  const range = (what: string) => `${prefix}: ${what} out of range`;
  try {
    const year = digits(4, '2006');
    lit('-');
    const month = digits(2, '01');
    if (month < 1 || month > 12) return range('month');
    lit('-');
    const day = digits(2, '02');
    lit(' ');
    const h = hour();
    if (h > 23) return range('hour');
    lit(':');
    const mi = digits(2, '04');
    if (mi > 59) return range('minute');
    lit(':');
    const sec = digits(2, '05');
    if (sec > 59) return range('second');
    const fm = /^[.,]\d+/.exec(v);
    if (fm) v = v.slice(fm[0].length);
    if (v.length > 0) return `${prefix}: extra text: ${goQuote(v)}`;
    if (day < 1 || day > daysInMonth(year, month)) return range('day');
    return `${prefix}: cannot parse`;
  } catch (e) {
    if (e instanceof GoTimeError) return e.message;
    throw e;
  }
}

/** API timestamp form: RFC 3339 with millisecond precision, UTC (`2026-11-24T22:07:52.866Z`). */
export function formatApiTime(ms: number): string {
  if (ms === 0) return '0001-01-01T00:00:00.000Z';
  return new Date(ms).toISOString();
}
