/**
 * Formats a time with a Go reference layout ("2006-01-02 15:04:05 MST"), as amtool's --date.format does
 * (Go time.Time.Format). Supported elements: 2006 06 01 1 Jan January 02 2 _2 15 03 3 04 4 05 5 PM pm
 * Mon Monday MST Z07:00 Z0700 Z07 -07:00 -0700 -07 .000/.999 (any width) and 002 (day of year).
 * The zone is an IANA name, whose abbreviation comes from Intl (it may differ from Go's tzdata for zones
 * that have no common English abbreviation), or a fixed offset `+hh:mm`, printed as Go prints an unnamed
 * zone (`+0100`). Default: the process's local zone.
 */
const MONTHS = [
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
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

interface Parts {
  year: number;
  month: number; // 1..12
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
  weekday: number; // 0 = Sunday
  yday: number;
  offsetMin: number;
  abbrev: string;
}

// Longest tokens first so that "2006" wins over "2", "January" over "Jan", and so on.
const TOKENS = [
  'January',
  'Monday',
  'Z07:00',
  '-07:00',
  'Z0700',
  '-0700',
  '2006',
  'Jan',
  'Mon',
  'MST',
  'Z07',
  '-07',
  '002',
  '_2',
  '01',
  '02',
  '03',
  '04',
  '05',
  '06',
  '15',
  'PM',
  'pm',
  '1',
  '2',
  '3',
  '4',
  '5',
];

export function formatGoDate(date: Date, layout: string, timeZone?: string): string {
  const p = parts(date, timeZone);
  let out = '';
  let i = 0;
  while (i < layout.length) {
    // fractional seconds: .000 / ,000 (fixed) and .999 (trimmed), only when followed by a non-digit
    const frac = /^[.,](0+|9+)(?![0-9])/.exec(layout.slice(i));
    if (frac && i > 0 && /5$/.test(layout.slice(0, i))) {
      const digits = (frac[1] as string).length;
      let f = String(p.ms).padStart(3, '0').padEnd(digits, '0').slice(0, digits);
      if ((frac[1] as string)[0] === '9') f = f.replace(/0+$/, '');
      out += f === '' ? '' : (frac[0] as string)[0] + f;
      i += frac[0].length;
      continue;
    }
    const tok = TOKENS.find((t) => layout.startsWith(t, i));
    if (tok === undefined) {
      out += layout[i];
      i++;
      continue;
    }
    out += element(tok, p);
    i += tok.length;
  }
  return out;
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

function zone(p: Parts, z: boolean, colon: boolean, hoursOnly: boolean): string {
  if (z && p.offsetMin === 0) return 'Z';
  const sign = p.offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(p.offsetMin);
  const hh = pad(Math.floor(abs / 60), 2);
  if (hoursOnly) return sign + hh;
  return sign + hh + (colon ? ':' : '') + pad(abs % 60, 2);
}

function element(tok: string, p: Parts): string {
  const h12 = p.hour % 12 === 0 ? 12 : p.hour % 12;
  switch (tok) {
    case 'January':
      return MONTHS[p.month - 1] as string;
    case 'Jan':
      return (MONTHS[p.month - 1] as string).slice(0, 3);
    case 'Monday':
      return DAYS[p.weekday] as string;
    case 'Mon':
      return (DAYS[p.weekday] as string).slice(0, 3);
    case '2006':
      return pad(p.year, 4);
    case '06':
      return pad(p.year % 100, 2);
    case '01':
      return pad(p.month, 2);
    case '1':
      return String(p.month);
    case '02':
      return pad(p.day, 2);
    case '2':
      return String(p.day);
    case '_2':
      return String(p.day).padStart(2, ' ');
    case '002':
      return pad(p.yday, 3);
    case '15':
      return pad(p.hour, 2);
    case '03':
      return pad(h12, 2);
    case '3':
      return String(h12);
    case '04':
      return pad(p.minute, 2);
    case '4':
      return String(p.minute);
    case '05':
      return pad(p.second, 2);
    case '5':
      return String(p.second);
    case 'PM':
      return p.hour >= 12 ? 'PM' : 'AM';
    case 'pm':
      return p.hour >= 12 ? 'pm' : 'am';
    case 'MST':
      return p.abbrev;
    case 'Z07:00':
      return zone(p, true, true, false);
    case 'Z0700':
      return zone(p, true, false, false);
    case 'Z07':
      return zone(p, true, false, true);
    case '-07:00':
      return zone(p, false, true, false);
    case '-0700':
      return zone(p, false, false, false);
    case '-07':
      return zone(p, false, false, true);
    default:
      return tok;
  }
}

function parts(date: Date, timeZone?: string): Parts {
  const fixed = timeZone === undefined ? null : /^([+-])(\d{2}):(\d{2})$/.exec(timeZone);
  if (fixed) {
    const offsetMin = (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3]));
    const t = new Date(date.getTime() + offsetMin * 60_000);
    const year = t.getUTCFullYear();
    return {
      year,
      month: t.getUTCMonth() + 1,
      day: t.getUTCDate(),
      hour: t.getUTCHours(),
      minute: t.getUTCMinutes(),
      second: t.getUTCSeconds(),
      ms: t.getUTCMilliseconds(),
      weekday: t.getUTCDay(),
      yday: Math.round((Date.UTC(year, t.getUTCMonth(), t.getUTCDate()) - Date.UTC(year, 0, 1)) / 86400000) + 1,
      offsetMin,
      abbrev: zone({ offsetMin } as Parts, false, false, false),
    };
  }
  const tz = timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    timeZoneName: 'short',
  });
  const get: Record<string, string> = {};
  for (const part of fmt.formatToParts(date)) get[part.type] = part.value;
  const year = Number(get.year);
  const month = Number(get.month);
  const day = Number(get.day);
  const hour = Number(get.hour);
  const minute = Number(get.minute);
  const second = Number(get.second);
  const localAsUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const offsetMin = Math.round((localAsUtc - Math.floor(date.getTime() / 1000) * 1000) / 60000);
  let abbrev = get.timeZoneName ?? 'UTC';
  if (abbrev === 'GMT' && offsetMin === 0 && /^(UTC|Etc\/UTC|Etc\/Universal|Universal|Zulu)$/.test(tz)) abbrev = 'UTC';
  if (/^GMT[+-]/.test(abbrev)) abbrev = zone({ offsetMin } as Parts, false, false, offsetMin % 60 === 0);
  const yday = Math.round((Date.UTC(year, month - 1, day) - Date.UTC(year, 0, 1)) / 86400000) + 1;
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  const ms = ((date.getTime() % 1000) + 1000) % 1000;
  return { year, month, day, hour, minute, second, ms, weekday, yday, offsetMin, abbrev };
}
