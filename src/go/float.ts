/**
 * @module go/float
 * Go's float64 text as fmt writes it (strconv.FormatFloat): %v (the shortest 'g' form), %e/%E, %g and %f with
 * Go's round-half-to-even on exact ties.
 */

/** Go's shortest float formatting, %v style ('g' with shortest precision; exponent when exp < -4 || exp >= 6... of the shortest form). */
export function formatGoFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Number.POSITIVE_INFINITY) return '+Inf';
  if (f === Number.NEGATIVE_INFINITY) return '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mant, expStr] = f.toExponential().split('e') as [string, string];
  const exp = Number(expStr);
  if (exp < -4 || exp >= 6) {
    return mant + 'e' + (exp < 0 ? '-' : '+') + String(Math.abs(exp)).padStart(2, '0');
  }
  // plain decimal with the shortest digits
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  let out: string;
  if (exp >= 0) {
    out = digits.length <= exp + 1 ? digits + '0'.repeat(exp + 1 - digits.length) : digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
  } else {
    out = '0.' + '0'.repeat(-exp - 1) + digits;
  }
  return (neg ? '-' : '') + out;
}

export function formatGoFloatE(f: number, prec: number, verb: 'e' | 'E'): string {
  if (!Number.isFinite(f)) return formatGoFloat(f);
  const s = f.toExponential(prec);
  const [m, e] = s.split('e') as [string, string];
  const n = Number(e);
  const r = m + 'e' + (n < 0 ? '-' : '+') + String(Math.abs(n)).padStart(2, '0');
  return verb === 'E' ? r.toUpperCase() : r;
}

export function formatGoFloatG(f: number, prec: number | undefined): string {
  if (!Number.isFinite(f)) return formatGoFloat(f);
  if (prec === undefined) {
    return formatGoFloat(f);
  }
  const p = prec === 0 ? 1 : prec;
  const e = f.toExponential(p - 1);
  const exp = Number(e.split('e')[1]);
  if (exp < -4 || exp >= p) {
    const [m] = e.split('e') as [string];
    const mm = m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m;
    return mm + 'e' + (exp < 0 ? '-' : '+') + String(Math.abs(exp)).padStart(2, '0');
  }
  const fixed = f.toFixed(Math.max(0, p - 1 - exp));
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}

/** toFixed with Go's rounding of exact ties to even (2.5 -> "2"). */
export function formatGoFloatF(a: number, prec: number): string {
  const scale = 10 ** prec;
  const scaled = a * scale;
  if (prec <= 15 && !Number.isInteger(scaled) && Number.isInteger(scaled * 2) && scaled / scale === a) {
    const fl = Math.floor(scaled);
    const r = fl % 2 === 0 ? fl : fl + 1;
    return (r / scale).toFixed(prec);
  }
  return a.toFixed(prec);
}
