/**
 * @module go/time
 * Go's time.Time formatting with reference layouts (time.Time.Format), shared by the template engine and
 * tocsinctl's --date.format, plus the calendar facts every Go-time parser here needs (daysInMonth) and Go's
 * time.Local. Zones are IANA names resolved through Intl, 'UTC', 'Local' or fixed offsets (time.FixedZone).
 */
import { cachedDateTimeFormat, LruCache } from '../types/lru';

/** epoch ms of Go's zero time, 0001-01-01T00:00:00Z */
export const GO_ZERO_MS = -62135596800000;

/** A time.Location: an IANA name, 'UTC' / 'Local', or a fixed offset (seconds east of UTC; name may be ''). */
export interface GoZone {
  readonly name: string;
  readonly fixedOffset?: number;
}
export const UTC_ZONE: GoZone = { name: 'UTC' };

/** Days in a month (1..12) of the proleptic Gregorian calendar, as Go's time package counts them. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** time.FixedZone(name, offsetSeconds) */
export function fixedZone(name: string, offsetSeconds: number): GoZone {
  return { name, fixedOffset: offsetSeconds };
}

/** Locales tried in turn for a zone abbreviation (Intl names most zones GMT+N in en-US). */
const ABBR_LOCALES = ['en-US', 'en-GB', 'en-AU', 'en-IN', 'en-NZ', 'en-ZA', 'en-IE'];
const ZONE_FORMAT: Intl.DateTimeFormatOptions = {
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
  timeZoneName: 'short',
};
function zoneFormatter(name: string, locale = 'en-US'): Intl.DateTimeFormat {
  return cachedDateTimeFormat('go-time', locale, name, ZONE_FORMAT);
}

/** Whether Intl knows an IANA zone name (time.LoadLocation would find it). */
export function isKnownTimeZone(name: string): boolean {
  try {
    zoneFormatter(name);
    return true;
  } catch {
    return false;
  }
}

/** the process zone by the TZ value it was resolved for (resolving costs ~50 us; a render may ask many times) */
let localCache: { tz: string | undefined; zone: GoZone } | undefined;

/**
 * Go's time.Local (time/zoneinfo_unix.go initLocal): TZ unset = the system zone (/etc/localtime, as Node resolves
 * it); TZ empty = UTC; otherwise TZ (a leading ':' dropped, a .../zoneinfo/ path reduced to its name), UTC when
 * that zone is unknown. Follows later changes of process.env.TZ.
 */
export function localZone(): GoZone {
  const tz = process.env.TZ;
  if (!localCache || localCache.tz !== tz) {
    let name: string;
    if (tz === undefined) name = new Intl.DateTimeFormat().resolvedOptions().timeZone;
    else {
      name = tz.startsWith(':') ? tz.slice(1) : tz;
      const i = name.indexOf('/zoneinfo/');
      if (name.startsWith('/') && i >= 0) name = name.slice(i + '/zoneinfo/'.length);
    }
    const utc = !name || name === 'UTC' || name === 'Etc/UTC' || name === 'Etc/Unknown' || !isKnownTimeZone(name);
    localCache = { tz, zone: utc ? UTC_ZONE : { name } };
  }
  return localCache.zone;
}

export interface Civil {
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

/** The civil date and time of epoch ms in a zone, with the zone's offset and abbreviation. */
export function civilOf(ms: number, zone: GoZone): Civil {
  let offset = 0;
  let abbr = 'UTC';
  if (zone.fixedOffset !== undefined) {
    offset = zone.fixedOffset;
    // Go prints a zone without a name in the -0700 form
    abbr = zone.name !== '' ? zone.name : fmtOffset(offset, false, false, false, false);
  } else if (zone.name !== 'UTC' && zone.name !== 'Local') {
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

export const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
export const LONG_MONTHS = [
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

/** parsed layouts (bounded: layouts can come from templates) */
const layoutCache = new LruCache<string, Chunk[]>(256);

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

/**
 * Go's time.Time.Format: the time at epoch ms plus nsRem nanoseconds (0..999999), in zone, with a reference layout
 * ("2006-01-02 15:04:05.999999999 -0700 MST"). Zone abbreviations come from Intl's English locales (tzdata's
 * numeric form +03 / -0330 where none has a letter abbreviation).
 */
export function formatGoTime(ms: number, nsRem: number, zone: GoZone, layout: string): string {
  const c = civilOf(ms, zone);
  const ns = (((ms % 1000) + 1000) % 1000) * 1e6 + nsRem;
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

/**
 * Formats a time with a Go reference layout ("2006-01-02 15:04:05 MST"), as amtool's --date.format does. The zone
 * is an IANA name, or a fixed offset `+hh:mm`, printed as Go prints an unnamed zone (`+0100`). Default: the
 * process's local zone as Intl resolves it.
 */
export function formatGoTimeIn(date: Date, layout: string, timeZone?: string): string {
  const fixed = timeZone === undefined ? null : /^([+-])(\d{2}):(\d{2})$/.exec(timeZone);
  const zone = fixed
    ? fixedZone('', (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 3600 + Number(fixed[3]) * 60))
    : { name: timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone };
  return formatGoTime(date.getTime(), 0, zone, layout);
}
