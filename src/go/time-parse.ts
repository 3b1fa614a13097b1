/**
 * @module go/time-parse
 * Go's time.ParseInLocation(layout, value, time.UTC) with reference layouts (the templates' toDate / mustToDate),
 * with Go's error texts (`parsing time "x" as "2006-01-02": cannot parse "x" as "2006"`).
 */
import { chunksOf, daysInMonth, fixedZone, type GoZone, LONG_DAYS as DAYS, LONG_MONTHS as MONTHS, UTC_ZONE } from './time';

/** A parsed instant: epoch ms (floor), the nanoseconds below the millisecond, and the zone it was written in. */
export interface GoInstant {
  ms: number;
  nsRem: number;
  zone: GoZone;
}


/** Parses `value` with a Go reference layout; throws an Error with Go's message when it does not fit. */
export function parseGoTimeLayout(layout: string, value: string): GoInstant {
  let rest = value;
  let year = 1;
  let month = 1;
  let day = 1;
  let hour = 0;
  let min = 0;
  let sec = 0;
  let ns = 0;
  let pm: boolean | undefined;
  /** seconds east of UTC from a numeric zone element; undefined = none parsed */
  let offset: number | undefined;
  /** a zone abbreviation element (MST) */
  let zoneName = '';
  /** a Z element matched "Z" */
  let zUtc = false;
  const q = (s: string): string => JSON.stringify(s);
  const fail = (elem: string): never => {
    throw new Error(`parsing time ${q(value)} as ${q(layout)}: cannot parse ${q(rest)} as ${q(elem)}`);
  };
  const num = (elem: string, min: number, max: number): number => {
    const m = new RegExp(`^\\d{${min},${max}}`).exec(rest);
    if (!m) return fail(elem);
    rest = rest.slice(m[0].length);
    return Number(m[0]);
  };
  const word = (elem: string, list: string[], short: boolean): number => {
    for (let i = 0; i < list.length; i++) {
      const w = short ? list[i]!.slice(0, 3) : list[i]!;
      if (rest.toLowerCase().startsWith(w.toLowerCase())) {
        rest = rest.slice(w.length);
        return i;
      }
    }
    return fail(elem);
  };
  for (const ch of chunksOf(layout)) {
    if ('lit' in ch) {
      if (!rest.startsWith(ch.lit)) return fail(ch.lit);
      rest = rest.slice(ch.lit.length);
      continue;
    }
    const s = ch.std;
    switch (s) {
      case '2006':
        year = num(s, 4, 4);
        break;
      case '06': {
        const y = num(s, 2, 2);
        year = y >= 69 ? 1900 + y : 2000 + y;
        break;
      }
      case '01':
        month = num(s, 2, 2);
        break;
      case '1':
        month = num(s, 1, 2);
        break;
      case 'January':
        month = word(s, MONTHS, false) + 1;
        break;
      case 'Jan':
        month = word(s, MONTHS, true) + 1;
        break;
      case 'Monday':
        word(s, DAYS, false);
        break;
      case 'Mon':
        word(s, DAYS, true);
        break;
      case '02':
        day = num(s, 2, 2);
        break;
      case '_2':
        if (rest.startsWith(' ')) rest = rest.slice(1);
        day = num(s, 1, 2);
        break;
      case '2':
        day = num(s, 1, 2);
        break;
      case '15':
        hour = num(s, 1, 2);
        break;
      case '03':
        hour = num(s, 2, 2);
        break;
      case '3':
        hour = num(s, 1, 2);
        break;
      case '04':
        min = num(s, 2, 2);
        break;
      case '4':
        min = num(s, 1, 2);
        break;
      case '05':
        sec = num(s, 2, 2);
        break;
      case '5':
        sec = num(s, 1, 2);
        break;
      case 'PM':
      case 'pm': {
        const m = /^(AM|PM)/i.exec(rest);
        if (!m) return fail(s);
        pm = m[1]!.toUpperCase() === 'PM';
        rest = rest.slice(2);
        break;
      }
      case 'MST': {
        const m = /^[A-Z]{3,5}/.exec(rest);
        if (!m) return fail(s);
        zoneName = m[0];
        rest = rest.slice(m[0].length);
        break;
      }
      default: {
        if (s.startsWith('frac')) {
          const m = /^[.,](\d+)/.exec(rest);
          if (!m) {
            if (s.startsWith('frac9')) break;
            return fail(s);
          }
          ns = Number(m[1]!.slice(0, 9).padEnd(9, '0'));
          rest = rest.slice(m[0].length);
          break;
        }
        if (s.startsWith('Z') && (rest[0] === 'Z' || rest[0] === 'z')) {
          zUtc = true;
          rest = rest.slice(1);
          break;
        }
        const m = /^([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?/.exec(rest);
        if (!m) return fail(s);
        offset = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0));
        rest = rest.slice(m[0].length);
      }
    }
  }
  if (rest !== '') throw new Error(`parsing time ${q(value)}: extra text: ${q(rest)}`);
  if (pm !== undefined) {
    if (hour > 12) throw new Error(`parsing time ${q(value)}: hour out of range`);
    if (pm && hour < 12) hour += 12;
    if (!pm && hour === 12) hour = 0;
  }
  if (month < 1 || month > 12) throw new Error(`parsing time ${q(value)}: month out of range`);
  if (day < 1 || day > daysInMonth(year, month)) {
    throw new Error(`parsing time ${q(value)}: day out of range`);
  }
  if (hour > 23) throw new Error(`parsing time ${q(value)}: hour out of range`);
  if (min > 59) throw new Error(`parsing time ${q(value)}: minute out of range`);
  if (sec > 59) throw new Error(`parsing time ${q(value)}: second out of range`);
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, min, sec, 0);
  const utcMs = d.getTime() + Math.floor(ns / 1e6);
  // Go's time.ParseInLocation(layout, value, time.UTC) (time/format.go): "Z" is UTC; a numeric offset keeps its
  // zone (UTC when it is 0 and any name is "UTC", else FixedZone(name, offset)); a bare abbreviation other than
  // UTC becomes FixedZone(name, 0) (GMT+N: N hours) without moving the instant.
  if (zUtc) return { ms: utcMs, nsRem: ns % 1e6, zone: UTC_ZONE };
  if (offset !== undefined) {
    const zone = offset === 0 && (zoneName === '' || zoneName === 'UTC') ? UTC_ZONE : fixedZone(zoneName, offset);
    return { ms: utcMs - offset * 1000, nsRem: ns % 1e6, zone };
  }
  if (zoneName !== '' && zoneName !== 'UTC') {
    const gmt = /^GMT([+-]\d+)$/.exec(zoneName);
    return { ms: utcMs, nsRem: ns % 1e6, zone: fixedZone(zoneName, gmt ? Number(gmt[1]) * 3600 : 0) };
  }
  return { ms: utcMs, nsRem: ns % 1e6, zone: UTC_ZONE };
}

