/**
 * @module go/duration
 * Go's time.Duration syntax (amtool flags, --web.timeout, template durations): time.ParseDuration and
 * time.Duration.String, e.g. `1h30m0s`, `-5m0s`, `1.5s`, `300ms`. Milliseconds in, milliseconds out (fractional
 * below a millisecond); formatGoDurationNs takes the nanosecond count itself.
 */
import { goQuote } from '../types/labels';
const GO_UNITS_NS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  'µs': 1e3, // U+00B5
  'μs': 1e3, // U+03BC
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};
const MAX_INT64_PLUS_1 = 2 ** 63;


const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/**
 * Parses a Go duration (time.ParseDuration) into milliseconds (fractional for sub-millisecond values).
 * Errors use Go's texts: `time: invalid duration "x"`, `time: missing unit in duration "1"`,
 * `time: unknown unit "x" in duration "1x"`.
 */
export function parseGoDuration(input: string): number {
  const invalid = (): Error => new Error(`time: invalid duration ${goQuote(input)}`);
  let s = input;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw invalid();
  let totalNs = 0;
  while (s !== '') {
    if (!(s[0] === '.' || isDigit(s[0]))) throw invalid();
    let i = 0;
    while (i < s.length && isDigit(s[i])) i++;
    const intPart = s.slice(0, i);
    s = s.slice(i);
    let fracPart = '';
    if (s[0] === '.') {
      s = s.slice(1);
      let j = 0;
      while (j < s.length && isDigit(s[j])) j++;
      fracPart = s.slice(0, j);
      s = s.slice(j);
      if (intPart === '' && fracPart === '') throw invalid();
    } else if (intPart === '') {
      throw invalid();
    }
    let k = 0;
    while (k < s.length && s[k] !== '.' && !isDigit(s[k])) k++;
    if (k === 0) throw new Error(`time: missing unit in duration ${goQuote(input)}`);
    const u = s.slice(0, k);
    s = s.slice(k);
    const unit = GO_UNITS_NS[u];
    if (unit === undefined) {
      throw new Error(`time: unknown unit ${goQuote(u)} in duration ${goQuote(input)}`);
    }
    const v = intPart === '' ? 0 : Number(intPart);
    let ns = v * unit;
    if (fracPart !== '') {
      // Go keeps at most ~18 fraction digits; extra ones are dropped without error.
      const digits = fracPart.slice(0, 18);
      ns += Math.floor((Number(digits) * unit) / 10 ** digits.length);
    }
    totalNs += ns;
    if (totalNs >= MAX_INT64_PLUS_1) throw invalid();
  }
  const ms = totalNs / 1e6;
  return neg ? -ms : ms;
}

/** Prints the fraction of v / 10^prec without trailing zeros (Go's fmtFrac). */
function fmtFrac(v: bigint, prec: number): { text: string; rest: bigint } {
  let text = '';
  let print = false;
  for (let i = 0; i < prec; i++) {
    const digit = v % 10n;
    print = print || digit !== 0n;
    if (print) text = String(digit) + text;
    v /= 10n;
  }
  if (print) text = `.${text}`;
  return { text, rest: v };
}

/** Formats milliseconds like Go's time.Duration.String(): `1h30m0s`, `5m0s`, `0s`, `1.5s`, `100ms`, `1.5µs`. */
export function formatGoDuration(ms: number): string {
  const whole = Math.trunc(ms);
  return formatGoDurationNs(BigInt(whole) * 1_000_000n + BigInt(Math.round((ms - whole) * 1e6)));
}

/** Go's time.Duration.String() of a nanosecond count (a time.Duration's own unit). */
export function formatGoDurationNs(nanos: bigint): string {
  let ns = nanos;
  if (ns === 0n) return '0s';
  const neg = ns < 0n;
  if (neg) ns = -ns;
  let out: string;
  if (ns < 1_000_000_000n) {
    let prec: number;
    let unit: string;
    if (ns < 1000n) {
      prec = 0;
      unit = 'ns';
    } else if (ns < 1_000_000n) {
      prec = 3;
      unit = 'µs';
    } else {
      prec = 6;
      unit = 'ms';
    }
    const f = fmtFrac(ns, prec);
    out = `${f.rest}${f.text}${unit}`;
  } else {
    const f = fmtFrac(ns, 9);
    let u = f.rest;
    out = `${u % 60n}${f.text}s`;
    u /= 60n;
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n;
      if (u > 0n) out = `${u}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}
