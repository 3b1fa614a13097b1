/**
 * The parts of Go's fmt package that templates reach: Sprint, Sprintln, Sprintf and the %v form of template
 * values (maps, slices, structs, safe strings); numbers are written by src/go/float.ts.
 */
import { formatGoFloat, formatGoFloatE, formatGoFloatF, formatGoFloatG } from '../go/float';
import { goQuote } from '../types/labels';
import { GoTime } from './time-values';
import {
  GoFloat,
  GoMap,
  GoSlice,
  GoStruct,
  isPlainObject,
  mapGet,
  mapKeys,
  SafeHTML,
  SafeURL,
  sliceItems,
  typeName,
  utf8Length,
} from './values';

interface Flags {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width?: number;
  prec?: number;
}

const NO_FLAGS: Flags = { minus: false, plus: false, sharp: false, space: false, zero: false };

function isStringer(v: unknown): v is { goString(): string } {
  return (
    (v instanceof GoStruct || v instanceof GoMap || v instanceof GoSlice) &&
    typeof (v as { goString?: unknown }).goString === 'function'
  );
}

function utf8Bytes(s: string): Uint8Array {
  return Buffer.from(s, 'utf8');
}

/** The %v form of any value (depth > 0 means nested inside a composite). */
export function formatV(v: unknown, plus = false): string {
  switch (typeof v) {
    case 'string':
      return v;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return Number.isInteger(v) ? String(v) : formatGoFloat(v);
    case 'undefined':
      return '<nil>';
    case 'function':
      return '0x0';
    default:
      break;
  }
  if (v === null) return '<nil>';
  if (v instanceof GoFloat) return formatGoFloat(v.v);
  if (v instanceof SafeHTML || v instanceof SafeURL) return v.s;
  if (isStringer(v)) return v.goString();
  const items = sliceItems(v);
  if (items) {
    let out = '[';
    for (let i = 0; i < items.length; i++) {
      if (i > 0) out += ' ';
      out += formatV(items[i], plus);
    }
    return out + ']';
  }
  if (v instanceof GoMap || isPlainObject(v)) {
    const m = v as GoMap | Record<string, unknown>;
    let out = 'map[';
    let first = true;
    for (const k of mapKeys(m)) {
      if (!first) out += ' ';
      first = false;
      out += k + ':' + formatV(mapGet(m, k).value, plus);
    }
    return out + ']';
  }
  if (v instanceof GoStruct) {
    let out = '{';
    v.fieldNames.forEach((f, i) => {
      if (i > 0) out += ' ';
      if (plus) out += f + ':';
      out += formatV(v.field(f), plus);
    });
    return out + '}';
  }
  return String(v);
}

function badVerb(verb: string, v: unknown): string {
  if (v === null || v === undefined) return `%!${verb}(<nil>)`;
  return `%!${verb}(${typeName(v)}=${formatV(v)})`;
}

function padTo(s: string, f: Flags, numeric: boolean): string {
  if (f.width === undefined) return s;
  const len = [...s].length;
  if (len >= f.width) return s;
  const fill = f.width - len;
  if (f.minus) return s + ' '.repeat(fill);
  if (f.zero && numeric) {
    const signed = s[0] === '-' || s[0] === '+' || s[0] === ' ';
    return signed ? s[0] + '0'.repeat(fill) + s.slice(1) : '0'.repeat(fill) + s;
  }
  if (f.zero && !numeric) return '0'.repeat(fill) + s;
  return ' '.repeat(fill) + s;
}

function signed(n: string, neg: boolean, f: Flags): string {
  if (neg) return '-' + n;
  if (f.plus) return '+' + n;
  if (f.space) return ' ' + n;
  return n;
}

function fmtInt(n: number, verb: string, f: Flags): string {
  const neg = n < 0;
  const a = Math.abs(n);
  let s: string;
  switch (verb) {
    case 'd':
    case 'v':
      s = String(a);
      break;
    case 'x':
      s = (f.sharp ? '0x' : '') + a.toString(16);
      break;
    case 'X':
      s = (f.sharp ? '0X' : '') + a.toString(16).toUpperCase();
      break;
    case 'o':
      s = (f.sharp ? '0' : '') + a.toString(8);
      break;
    case 'O':
      s = '0o' + a.toString(8);
      break;
    case 'b':
      s = a.toString(2);
      break;
    case 'c':
      return padTo(String.fromCodePoint(n), f, false);
    case 'q':
      return padTo(goQuoteRune(n), f, false);
    case 'U':
      return padTo('U+' + a.toString(16).toUpperCase().padStart(4, '0'), f, false);
    default:
      return badVerb(verb, n);
  }
  if (f.prec !== undefined) {
    s = s.padStart(f.prec, '0');
    return padTo(signed(s, neg, f), { ...f, zero: false }, true);
  }
  return padTo(signed(s, neg, f), f, true);
}

function goQuoteRune(c: number): string {
  const q = goQuote(String.fromCodePoint(c));
  const inner = q.slice(1, -1).replace(/\\"/g, '"');
  return "'" + (inner === "'" ? "\\'" : inner) + "'";
}

function fmtFloat(x: number, verb: string, f: Flags): string {
  let s: string;
  const neg = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  switch (verb) {
    case 'v':
      s = f.prec === undefined ? formatGoFloat(a) : formatGoFloatG(a, f.prec);
      break;
    case 'f':
    case 'F':
      s = Number.isFinite(a) ? formatGoFloatF(a, f.prec ?? 6) : formatGoFloat(a);
      break;
    case 'e':
    case 'E':
      s = formatGoFloatE(a, f.prec ?? 6, verb);
      break;
    case 'g':
    case 'G':
      s = formatGoFloatG(a, f.prec);
      if (verb === 'G') s = s.toUpperCase();
      break;
    default:
      return badVerb(verb, new GoFloat(x));
  }
  if (s === '+Inf') return padTo(neg ? '-Inf' : f.plus ? '+Inf' : 'Inf', f, false);
  if (s === 'NaN') return padTo(f.plus ? '+NaN' : 'NaN', f, false);
  return padTo(signed(s, neg && !Number.isNaN(x), f), f, true);
}

function fmtString(s: string, verb: string, f: Flags): string {
  switch (verb) {
    case 'v':
    case 's':
      if (f.prec !== undefined) s = [...s].slice(0, f.prec).join('');
      return padTo(s, f, false);
    case 'q':
      return padTo(f.sharp && !s.includes('`') ? '`' + s + '`' : goQuote(s), f, false);
    case 'x':
    case 'X': {
      let out = '';
      const bytes = utf8Bytes(s);
      bytes.forEach((b, i) => {
        if (f.space && i > 0) out += ' ';
        if (f.sharp && (i === 0 || f.space)) out += verb === 'x' ? '0x' : '0X';
        const h = b.toString(16).padStart(2, '0');
        out += verb === 'X' ? h.toUpperCase() : h;
      });
      return padTo(out, f, false);
    }
    default:
      return badVerb(verb, s);
  }
}

/** Formats one operand for one verb. */
export function formatOne(v: unknown, verb: string, f: Flags): string {
  if (verb === 'T') return padTo(v === null || v === undefined ? '<nil>' : typeName(v), f, false);
  if (v === null || v === undefined) {
    if (verb === 'v') return padTo('<nil>', f, false);
    return badVerb(verb, v);
  }
  if (typeof v === 'boolean') {
    if (verb === 'v' || verb === 't') return padTo(String(v), f, false);
    return badVerb(verb, v);
  }
  if (typeof v === 'number' && Number.isInteger(v)) return fmtInt(v, verb, f);
  if (typeof v === 'number') return fmtFloat(v, verb, f);
  if (v instanceof GoFloat) return fmtFloat(v.v, verb, f);
  if (typeof v === 'string') return fmtString(v, verb, f);
  if (v instanceof SafeHTML || v instanceof SafeURL) return fmtString(v.s, verb, f);
  if (isStringer(v) && (verb === 'v' || verb === 's' || verb === 'q' || verb === 'x' || verb === 'X')) {
    if (verb === 'v' && f.plus && !(v instanceof GoTime)) {
      // %+v still calls String()
    }
    return fmtString(v.goString(), verb, f);
  }
  const items = sliceItems(v);
  if (items) {
    if (verb === 's' || verb === 'v' || verb === 'd' || verb === 'x' || verb === 'q' || verb === 'f') {
      const parts = items.map((e) => formatOne(e, verb, { ...f, width: undefined }));
      return padTo('[' + parts.join(' ') + ']', f, false);
    }
    return badVerb(verb, v);
  }
  if (v instanceof GoMap || isPlainObject(v)) {
    const m = v as GoMap | Record<string, unknown>;
    const parts = mapKeys(m).map((k) => k + ':' + formatOne(mapGet(m, k).value, verb, { ...f, width: undefined }));
    return padTo('map[' + parts.join(' ') + ']', f, false);
  }
  if (v instanceof GoStruct) {
    const parts = v.fieldNames.map(
      (n) => (f.plus ? n + ':' : '') + formatOne(v.field(n), verb, { ...f, width: undefined }),
    );
    return padTo('{' + parts.join(' ') + '}', f, false);
  }
  return padTo(formatV(v), f, false);
}

/** fmt.Sprint: spaces between operands when neither is a string. */
export function sprint(args: readonly unknown[]): string {
  let out = '';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += formatOne(a, 'v', NO_FLAGS);
  }
  return out;
}

/** fmt.Sprintln */
export function sprintln(args: readonly unknown[]): string {
  return args.map((a) => formatOne(a, 'v', NO_FLAGS)).join(' ') + '\n';
}

/** fmt.Sprintf */
export function sprintf(format: string, args: readonly unknown[]): string {
  let out = '';
  let argi = 0;
  let i = 0;
  const n = format.length;
  while (i < n) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const f: Flags = { minus: false, plus: false, sharp: false, space: false, zero: false };
    flags: while (i < n) {
      switch (format[i]) {
        case '-':
          f.minus = true;
          f.zero = false;
          break;
        case '+':
          f.plus = true;
          break;
        case '#':
          f.sharp = true;
          break;
        case ' ':
          f.space = true;
          break;
        case '0':
          f.zero = !f.minus;
          break;
        default:
          break flags;
      }
      i++;
    }
    // width
    if (format[i] === '*') {
      i++;
      const w = args[argi++];
      if (typeof w === 'number' && Number.isInteger(w)) {
        f.width = Math.abs(w);
        if (w < 0) {
          f.minus = true;
          f.zero = false;
        }
      } else out += '%!(BADWIDTH)';
    } else {
      let w = '';
      while (i < n && format[i]! >= '0' && format[i]! <= '9') w += format[i++];
      if (w) f.width = Number(w);
    }
    if (format[i] === '.') {
      i++;
      if (format[i] === '*') {
        i++;
        const p = args[argi++];
        if (typeof p === 'number' && Number.isInteger(p) && p >= 0) f.prec = p;
        else out += '%!(BADPREC)';
      } else {
        let p = '';
        while (i < n && format[i]! >= '0' && format[i]! <= '9') p += format[i++];
        f.prec = p ? Number(p) : 0;
      }
    }
    if (i >= n) {
      out += '%!(NOVERB)';
      break;
    }
    const cp = format.codePointAt(i)!;
    const verb = String.fromCodePoint(cp);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatOne(args[argi++], verb, f);
  }
  if (argi < args.length) {
    out += '%!(EXTRA ';
    out += args
      .slice(argi)
      .map((a) => (a === null || a === undefined ? '<nil>' : `${typeName(a)}=${formatV(a)}`))
      .join(', ');
    out += ')';
  }
  return out;
}

export { utf8Length };
