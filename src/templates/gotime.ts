/**
 * Go's time.Time and time.Duration as template values: formatting with Go reference layouts,
 * String() forms, zone conversion through Intl (IANA names).
 */
import { GoCallError, type GoFunc, GoStruct } from './values';

/** epoch ms of Go's zero time, 0001-01-01T00:00:00Z */
export const GO_ZERO_MS = -62135596800000;

interface Zone {
  /** IANA name, or 'UTC' / 'Local' */
  readonly name: string;
}
const UTC: Zone = { name: 'UTC' };

const dtfCache = new Map<string, Intl.DateTimeFormat>();
/** Locales tried in turn for a zone abbreviation (Intl names most zones GMT+N in en-US). */
const ABBR_LOCALES = ['en-US', 'en-GB', 'en-AU', 'en-IN', 'en-NZ', 'en-ZA', 'en-IE'];
function zoneFormatter(name: string, locale = 'en-US'): Intl.DateTimeFormat {
  const key = `${locale}|${name}`;
  let f = dtfCache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      timeZoneName: 'short',
    });
    dtfCache.set(key, f);
  }
  return f;
}

/** Checks an IANA zone name like time.LoadLocation. */
export function loadLocation(name: string): Zone {
  if (name === '' || name === 'UTC') return UTC;
  if (name === 'Local') return { name: 'Local' };
  try {
    zoneFormatter(name);
  } catch {
    throw new GoCallError(`unknown time zone ${name}`);
  }
  return { name };
}

interface Civil {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  min: number;
  sec: number;
  /** seconds east of UTC */
  offset: number;
  abbr: string;
  weekday: number; // 0 = Sunday
  yday: number; // 1-based
}

function civilOf(ms: number, zone: Zone): Civil {
  let offset = 0;
  let abbr = 'UTC';
  if (zone.name !== 'UTC' && zone.name !== 'Local') {
    const parts = zoneFormatter(zone.name).formatToParts(new Date(ms));
    const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value ?? 0);
    const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
    offset = Math.round((local - Math.floor(ms / 1000) * 1000) / 1000);
    abbr = numericAbbr(offset);
    for (const loc of ABBR_LOCALES) {
      const fp = loc === 'en-US' ? parts : zoneFormatter(zone.name, loc).formatToParts(new Date(ms));
      const name = fp.find((p) => p.type === 'timeZoneName')?.value ?? '';
      if (/^[A-Z]{2,5}$/.test(name) && name !== 'GMT' && name !== 'UTC') {
        abbr = name;
        break;
      }
      if ((name === 'GMT' || name === 'UTC') && offset === 0) {
        abbr = name;
        break;
      }
    }
  }
  const d = new Date(ms + offset * 1000);
  const year = d.getUTCFullYear();
  const start = new Date(0);
  start.setUTCFullYear(year, 0, 1);
  start.setUTCHours(0, 0, 0, 0);
  const yday = Math.floor((d.getTime() - start.getTime()) / 86400000) + 1;
  return {
    year,
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    min: d.getUTCMinutes(),
    sec: d.getUTCSeconds(),
    offset,
    abbr,
    weekday: d.getUTCDay(),
    yday,
  };
}

/** tzdata names zones without an abbreviation by their offset: +03, -0330 */
function numericAbbr(offset: number): string {
  if (offset === 0) return 'UTC';
  const sign = offset < 0 ? '-' : '+';
  const a = Math.abs(offset);
  const h = Math.floor(a / 3600);
  const m = Math.floor((a % 3600) / 60);
  return sign + pad(h, 2) + (m ? pad(m, 2) : '');
}

function pad(n: number, w: number): string {
  let s = String(Math.abs(n));
  while (s.length < w) s = '0' + s;
  return n < 0 ? '-' + s : s;
}

const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const LONG_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

export type Chunk = { lit: string } | { std: string; digits?: number };

const layoutCache = new Map<string, Chunk[]>();

/** Splits a Go layout into literal text and reference-time elements. */
export function chunksOf(layout: string): Chunk[] {
  const cached = layoutCache.get(layout);
  if (cached) return cached;
  const out: Chunk[] = [];
  let lit = '';
  const flush = (): void => {
    if (lit) out.push({ lit });
    lit = '';
  };
  const stds = [
    'January',
    'Monday',
    'Jan',
    'Mon',
    'MST',
    '2006',
    '-07:00:00',
    '-0700',
    '-07:00',
    '-070000',
    '-07',
    'Z07:00:00',
    'Z0700',
    'Z07:00',
    'Z070000',
    'Z07',
    '002',
    '__2',
    '_2',
    '01',
    '02',
    '03',
    '04',
    '05',
    '06',
    '15',
    '1',
    '2',
    '3',
    '4',
    '5',
    'PM',
    'pm',
  ];
  let i = 0;
  while (i < layout.length) {
    const c = layout[i]!;
    // fractional seconds: .000 / ,000 / .999 / ,999 following a '.' or ','
    if ((c === '.' || c === ',') && (layout[i + 1] === '0' || layout[i + 1] === '9')) {
      const d = layout[i + 1]!;
      let j = i + 1;
      while (layout[j] === d) j++;
      if (!/[0-9]/.test(layout[j] ?? '')) {
        flush();
        out.push({ std: d === '0' ? `frac0${c}` : `frac9${c}`, digits: j - i - 1 });
        i = j;
        continue;
      }
    }
    let matched: string | undefined;
    for (const s of stds) {
      if (layout.startsWith(s, i)) {
        // "Jan"/"Mon" must not be followed by a lower-case letter ("Janet")
        if ((s === 'Jan' || s === 'Mon') && /[a-z]/.test(layout[i + s.length] ?? '')) continue;
        if (s === '2006' || s === '06' || s === '002' || s === '01' || s === '02') {
          matched = s;
          break;
        }
        matched = s;
        break;
      }
    }
    if (matched) {
      flush();
      out.push({ std: matched });
      i += matched.length;
    } else {
      lit += c;
      i++;
    }
  }
  flush();
  layoutCache.set(layout, out);
  return out;
}

function fmtOffset(off: number, z: boolean, colon: boolean, secs: boolean, hoursOnly: boolean): string {
  if (z && off === 0) return 'Z';
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  const h = Math.floor(a / 3600);
  const m = Math.floor((a % 3600) / 60);
  const s = a % 60;
  let out = sign + pad(h, 2);
  if (hoursOnly) return out;
  out += (colon ? ':' : '') + pad(m, 2);
  if (secs) out += (colon ? ':' : '') + pad(s, 2);
  return out;
}

export class GoTime extends GoStruct {
  readonly goType = 'time.Time';
  readonly fieldNames: readonly string[] = [];
  /**
   * @param ms epoch milliseconds (floor)
   * @param nsRem extra nanoseconds within the millisecond, 0..999999
   */
  constructor(
    readonly ms: number,
    readonly nsRem: number = 0,
    readonly zone: Zone = UTC,
  ) {
    super();
  }

  static zero(): GoTime {
    return new GoTime(GO_ZERO_MS);
  }

  isZero(): boolean {
    return this.ms === GO_ZERO_MS && this.nsRem === 0;
  }

  nanosOfSecond(): number {
    return (((this.ms % 1000) + 1000) % 1000) * 1e6 + this.nsRem;
  }

  /** Unix seconds, floor */
  unix(): number {
    return Math.floor(this.ms / 1000);
  }

  in(zone: Zone): GoTime {
    return new GoTime(this.ms, this.nsRem, zone);
  }

  format(layout: string): string {
    const c = civilOf(this.ms, this.zone);
    const ns = this.nanosOfSecond();
    let out = '';
    for (const ch of chunksOf(layout)) {
      if ('lit' in ch) {
        out += ch.lit;
        continue;
      }
      switch (ch.std) {
        case 'January':
          out += LONG_MONTHS[c.month - 1];
          break;
        case 'Jan':
          out += LONG_MONTHS[c.month - 1]!.slice(0, 3);
          break;
        case 'Monday':
          out += LONG_DAYS[c.weekday];
          break;
        case 'Mon':
          out += LONG_DAYS[c.weekday]!.slice(0, 3);
          break;
        case 'MST':
          out += c.abbr;
          break;
        case '2006':
          out += pad(c.year, 4);
          break;
        case '06':
          out += pad(c.year % 100, 2);
          break;
        case '01':
          out += pad(c.month, 2);
          break;
        case '1':
          out += String(c.month);
          break;
        case '02':
          out += pad(c.day, 2);
          break;
        case '2':
          out += String(c.day);
          break;
        case '_2':
          out += c.day < 10 ? ' ' + c.day : String(c.day);
          break;
        case '002':
          out += pad(c.yday, 3);
          break;
        case '__2':
          out += String(c.yday).padStart(3, ' ');
          break;
        case '15':
          out += pad(c.hour, 2);
          break;
        case '03':
          out += pad(c.hour % 12 === 0 ? 12 : c.hour % 12, 2);
          break;
        case '3':
          out += String(c.hour % 12 === 0 ? 12 : c.hour % 12);
          break;
        case '04':
          out += pad(c.min, 2);
          break;
        case '4':
          out += String(c.min);
          break;
        case '05':
          out += pad(c.sec, 2);
          break;
        case '5':
          out += String(c.sec);
          break;
        case 'PM':
          out += c.hour >= 12 ? 'PM' : 'AM';
          break;
        case 'pm':
          out += c.hour >= 12 ? 'pm' : 'am';
          break;
        case '-0700':
          out += fmtOffset(c.offset, false, false, false, false);
          break;
        case '-07:00':
          out += fmtOffset(c.offset, false, true, false, false);
          break;
        case '-07':
          out += fmtOffset(c.offset, false, false, false, true);
          break;
        case '-070000':
          out += fmtOffset(c.offset, false, false, true, false);
          break;
        case '-07:00:00':
          out += fmtOffset(c.offset, false, true, true, false);
          break;
        case 'Z0700':
          out += fmtOffset(c.offset, true, false, false, false);
          break;
        case 'Z07:00':
          out += fmtOffset(c.offset, true, true, false, false);
          break;
        case 'Z07':
          out += fmtOffset(c.offset, true, false, false, true);
          break;
        case 'Z070000':
          out += fmtOffset(c.offset, true, false, true, false);
          break;
        case 'Z07:00:00':
          out += fmtOffset(c.offset, true, true, true, false);
          break;
        default: {
          // fractional seconds
          const sep = ch.std.slice(-1);
          const digits = ch.digits ?? 0;
          let frac = String(ns).padStart(9, '0').slice(0, digits);
          if (ch.std.startsWith('frac9')) {
            frac = frac.replace(/0+$/, '');
            if (frac) out += sep + frac;
          } else {
            out += sep + frac;
          }
        }
      }
    }
    return out;
  }

  override goString(): string {
    return this.format('2006-01-02 15:04:05.999999999 -0700 MST');
  }

  override toString(): string {
    return this.goString();
  }

  override goMethod(name: string): GoFunc | undefined {
    switch (name) {
      case 'Format':
        return { params: ['string'], fn: (l) => this.format(l as string) };
      case 'String':
        return { params: [], fn: () => this.goString() };
      case 'Unix':
        return { params: [], fn: () => this.unix() };
      case 'UnixMilli':
        return { params: [], fn: () => this.ms };
      case 'IsZero':
        return { params: [], fn: () => this.isZero() };
      case 'UTC':
        return { params: [], fn: () => this.in(UTC) };
      case 'Local':
        return { params: [], fn: () => this.in({ name: 'Local' }) };
      case 'Year':
        return { params: [], fn: () => civilOf(this.ms, this.zone).year };
      case 'Day':
        return { params: [], fn: () => civilOf(this.ms, this.zone).day };
      case 'Hour':
        return { params: [], fn: () => civilOf(this.ms, this.zone).hour };
      case 'Minute':
        return { params: [], fn: () => civilOf(this.ms, this.zone).min };
      case 'Second':
        return { params: [], fn: () => civilOf(this.ms, this.zone).sec };
      case 'Before':
        return { params: ['time'], fn: (t) => this.compare(t as GoTime) < 0 };
      case 'After':
        return { params: ['time'], fn: (t) => this.compare(t as GoTime) > 0 };
      case 'Equal':
        return { params: ['time'], fn: (t) => this.compare(t as GoTime) === 0 };
      case 'Sub':
        return {
          params: ['time'],
          fn: (t) => new GoDuration((this.ms - (t as GoTime).ms) * 1e6 + this.nsRem - (t as GoTime).nsRem),
        };
      default:
        return undefined;
    }
  }

  compare(o: GoTime): number {
    return this.ms - o.ms || this.nsRem - o.nsRem;
  }

  field(): unknown {
    return undefined;
  }

  /** RFC3339Nano, as encoding/json writes a time.Time */
  toJSON(): string {
    return this.format('2006-01-02T15:04:05.999999999Z07:00');
  }
}

/** Parses RFC 3339 (with up to 9 fractional digits) as encoding/json does for time.Time. */
export function parseRfc3339(s: string): GoTime {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/.exec(s);
  if (!m) throw new Error(`parsing time "${s}" as "2006-01-02T15:04:05Z07:00": cannot parse`);
  const d = new Date(0);
  d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  d.setUTCHours(Number(m[4]), Number(m[5]), Number(m[6]), 0);
  let ms = d.getTime();
  const frac = (m[7] ?? '').padEnd(9, '0');
  ms += Number(frac.slice(0, 3));
  const nsRem = Number(frac.slice(3));
  const tz = m[8]!;
  if (tz !== 'Z' && tz !== 'z') {
    const sign = tz[0] === '-' ? -1 : 1;
    ms -= sign * (Number(tz.slice(1, 3)) * 3600 + Number(tz.slice(4, 6)) * 60) * 1000;
  }
  return new GoTime(ms, nsRem);
}

/** time.Duration (nanoseconds). */
export class GoDuration extends GoStruct {
  readonly goType = 'time.Duration';
  readonly fieldNames: readonly string[] = [];
  constructor(readonly ns: number) {
    super();
  }
  field(): unknown {
    return undefined;
  }
  override goString(): string {
    return formatDuration(this.ns);
  }

  override toString(): string {
    return this.goString();
  }
  override goMethod(name: string): GoFunc | undefined {
    switch (name) {
      case 'String':
        return { params: [], fn: () => this.goString() };
      case 'Seconds':
        return { params: [], fn: () => this.ns / 1e9 };
      case 'Minutes':
        return { params: [], fn: () => this.ns / 6e10 };
      case 'Hours':
        return { params: [], fn: () => this.ns / 3.6e12 };
      case 'Milliseconds':
        return { params: [], fn: () => Math.trunc(this.ns / 1e6) };
      default:
        return undefined;
    }
  }
}

/** time.Duration.String() */
export function formatDuration(ns: number): string {
  if (ns === 0) return '0s';
  const neg = ns < 0;
  let u = Math.abs(Math.round(ns));
  let out: string;
  if (u < 1e9) {
    // sub-second: ns, µs or ms with fraction
    let unit: string;
    let div: number;
    if (u < 1e3) {
      return (neg ? '-' : '') + u + 'ns';
    } else if (u < 1e6) {
      unit = 'µs';
      div = 1e3;
    } else {
      unit = 'ms';
      div = 1e6;
    }
    out = fracStr(u, div) + unit;
  } else {
    const h = Math.floor(u / 3.6e12);
    u -= h * 3.6e12;
    const m = Math.floor(u / 6e10);
    u -= m * 6e10;
    out = fracStr(u, 1e9) + 's';
    if (h > 0) out = `${h}h${m}m` + out;
    else if (m > 0) out = `${m}m` + out;
  }
  return (neg ? '-' : '') + out;
}

function fracStr(v: number, div: number): string {
  const whole = Math.floor(v / div);
  const rem = v - whole * div;
  if (rem === 0) return String(whole);
  const digits = String(div).length - 1;
  return whole + '.' + String(rem).padStart(digits, '0').replace(/0+$/, '');
}
