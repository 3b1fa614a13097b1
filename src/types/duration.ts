/**
 * Prometheus durations (the config file's type), in milliseconds: `1y2w3d4h5m6s7ms`, units in this order, each at
 * most once, or `0` (prometheus/common model.ParseDuration / Duration.String). Go's time.Duration syntax
 * (amtool flags) is src/go/duration.ts.
 */
import { goQuote } from './labels';

const MS_SECOND = 1000;
const MS_MINUTE = 60 * MS_SECOND;
const MS_HOUR = 60 * MS_MINUTE;
const MS_DAY = 24 * MS_HOUR;
const MS_WEEK = 7 * MS_DAY;
const MS_YEAR = 365 * MS_DAY;

// Same shape as upstream's durationRE (prometheus/common model/time.go): every unit optional, fixed order.
const PROM_DURATION_RE = /^(?:([0-9]+)y)?(?:([0-9]+)w)?(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?(?:([0-9]+)ms)?$/;
const PROM_UNITS = [MS_YEAR, MS_WEEK, MS_DAY, MS_HOUR, MS_MINUTE, MS_SECOND, 1] as const;
/** Go's time.Duration is int64 nanoseconds: about 292 years. */
const MAX_DURATION_MS = 9223372036854.775;

/** Parses a Prometheus duration string into milliseconds. */
export function parseDuration(s: string): number {
  if (s === '0') return 0;
  if (s === '') throw new Error('empty duration string');
  const m = PROM_DURATION_RE.exec(s);
  if (!m) throw new Error(`not a valid duration string: ${goQuote(s)}`);
  let ms = 0;
  for (let i = 0; i < PROM_UNITS.length; i++) {
    const g = m[i + 1];
    if (g === undefined) continue;
    ms += Number(g) * PROM_UNITS[i]!;
  }
  if (ms > MAX_DURATION_MS) throw new Error('duration out of range');
  return ms;
}

/** Formats milliseconds like prometheus/common model.Duration.String(): `5m`, `4h`, `1d1h1m1s`, `0s`. */
export function formatDuration(ms: number): string {
  let rest = Math.trunc(ms);
  if (rest === 0) return '0s';
  let out = '';
  const unit = (suffix: string, mult: number, exact: boolean): void => {
    // Years and weeks only when they divide exactly: "90d" reads better than "12w6d".
    if (exact && rest % mult !== 0) return;
    const v = Math.trunc(rest / mult);
    if (v > 0) {
      out += `${v}${suffix}`;
      rest -= v * mult;
    }
  };
  unit('y', MS_YEAR, true);
  unit('w', MS_WEEK, true);
  unit('d', MS_DAY, false);
  unit('h', MS_HOUR, false);
  unit('m', MS_MINUTE, false);
  unit('s', MS_SECOND, false);
  unit('ms', 1, false);
  return out;
}
