/**
 * @module templates/time-values
 * Go's time.Time and time.Duration as template values (fields, methods, String() forms), on the Go encodings of
 * src/go/time.ts (reference layouts, zones through Intl) and src/go/duration.ts.
 */
import { formatGoDurationNs } from '../go/duration';
import { parseGoTimeLayout } from '../go/time-parse';
import { civilOf, GO_ZERO_MS, type GoZone, formatGoTime, isKnownTimeZone, localZone, UTC_ZONE } from '../go/time';
import { GoCallError, type GoFunc, GoStruct } from './values';

/** Checks an IANA zone name like time.LoadLocation. */
export function loadLocation(name: string): GoZone {
  if (name === '' || name === 'UTC') return UTC_ZONE;
  if (name === 'Local') return localZone();
  if (!isKnownTimeZone(name)) throw new GoCallError(`unknown time zone ${name}`);
  return { name };
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
    readonly zone: GoZone = UTC_ZONE,
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

  in(zone: GoZone): GoTime {
    return new GoTime(this.ms, this.nsRem, zone);
  }

  format(layout: string): string {
    return formatGoTime(this.ms, this.nsRem, this.zone, layout);
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
        return { params: [], fn: () => this.in(UTC_ZONE) };
      case 'Local':
        return { params: [], fn: () => this.in(localZone()) };
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
    return formatGoDurationNs(BigInt(Math.round(this.ns)));
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

/** toDate / mustToDate: time.ParseInLocation(layout, value, time.UTC); toDate gives the zero time on error. */
export function parseGoTime(layout: string, value: string, must: boolean): GoTime {
  try {
    const t = parseGoTimeLayout(layout, value);
    return new GoTime(t.ms, t.nsRem, t.zone);
  } catch (e) {
    if (must) throw new GoCallError((e as Error).message);
    return new GoTime(GO_ZERO_MS);
  }
}
