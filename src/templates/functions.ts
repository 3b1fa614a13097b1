/**
 * Go's text/template builtins (text/template/funcs.go behaviour) and Alertmanager's function map
 * (upstream template/template.go DefaultFuncs).
 */
import type { RE2JS } from 're2js';
import { compileRe2 } from '../types/re2';
import type { FuncEntry } from './exec';
import { evalArgsString } from './exec';
import { sprint, sprintf, sprintln } from './fmt';
import { GoDuration, GoTime, loadLocation, parseGoTime } from './time-values';
import { goQueryEscape } from '../go/url';
import { goJson } from './json';
import {
  basicKind,
  GoCallError,
  GoFloat,
  type GoFunc,
  GoMap,
  GoSlice,
  isNil,
  isPlainObject,
  mapGet,
  numVal,
  SafeHTML,
  SafeURL,
  StringSlice,
  sliceItems,
  stringContent,
  truth,
  typeName,
  utf8Length,
} from './values';

const f = (params: GoFunc['params'], fn: GoFunc['fn'], variadic?: GoFunc['variadic']): GoFunc =>
  variadic === undefined ? { params, fn } : { params, fn, variadic };

// ---------- comparisons ----------

function cmpKind(v: unknown): ReturnType<typeof basicKind> {
  return basicKind(v);
}

function scalar(v: unknown): string | number | boolean {
  const s = stringContent(v);
  if (s !== undefined) return s;
  if (v instanceof GoFloat) return v.v;
  return v as number | boolean;
}

function eq(a: unknown, ...rest: unknown[]): boolean {
  if (rest.length === 0) throw new GoCallError('missing argument for comparison');
  const k1 = cmpKind(a);
  for (const b of rest) {
    const k2 = cmpKind(b);
    let t = false;
    if (k1 !== k2) {
      if (!isNil(a) && !isNil(b)) {
        throw new GoCallError(`incompatible types for comparison: ${typeName(a)} and ${typeName(b)}`);
      }
    } else if (k1 === 'invalid') {
      if (isNil(a) || isNil(b)) t = isNil(a) === isNil(b);
      else {
        if (sliceItems(b) || b instanceof GoMap || isPlainObject(b)) {
          throw new GoCallError(`non-comparable type ${sprint([b])}: ${typeName(b)}`);
        }
        t = a === b;
      }
    } else {
      t = scalar(a) === scalar(b);
    }
    if (t) return true;
  }
  return false;
}

function lt(a: unknown, b: unknown): boolean {
  const k1 = cmpKind(a);
  if (k1 === 'invalid') throw new GoCallError('invalid type for comparison');
  const k2 = cmpKind(b);
  if (k2 === 'invalid') throw new GoCallError('invalid type for comparison');
  if (k1 !== k2) throw new GoCallError(`incompatible types for comparison: ${typeName(a)} and ${typeName(b)}`);
  if (k1 === 'bool') throw new GoCallError('invalid type for comparison');
  const x = scalar(a);
  const y = scalar(b);
  if (k1 === 'string') return Buffer.compare(Buffer.from(x as string), Buffer.from(y as string)) < 0;
  return (x as number) < (y as number);
}

// ---------- escaping ----------

export function htmlEscapeString(s: string): string {
  return s.replace(/["'&<>\0]/g, (c) => {
    switch (c) {
      case '"':
        return '&#34;';
      case "'":
        return '&#39;';
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      default:
        return '\uFFFD';
    }
  });
}

const JS_NONPRINT = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Zl}\p{Zp}\p{Cn}]|(?![ ])\p{Zs}/u;

export function jsEscapeString(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '\\':
        out += '\\\\';
        continue;
      case "'":
        out += "\\'";
        continue;
      case '"':
        out += '\\"';
        continue;
      case '<':
        out += '\\u003C';
        continue;
      case '>':
        out += '\\u003E';
        continue;
      case '&':
        out += '\\u0026';
        continue;
      case '=':
        out += '\\u003D';
        continue;
    }
    if (c < 0x20) out += '\\u00' + c.toString(16).toUpperCase().padStart(2, '0');
    else if (c >= 0x80 && JS_NONPRINT.test(ch)) out += '\\u' + c.toString(16).toUpperCase().padStart(4, '0');
    else out += ch;
  }
  return out;
}

/** url.QueryEscape */
export const queryEscape = goQueryEscape;

/** url.QueryUnescape */
export function queryUnescape(s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '%') {
      const h = s.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(h)) {
        throw new GoCallError(`invalid URL escape ${JSON.stringify(s.slice(i, i + 3))}`);
      }
      bytes.push(Number.parseInt(h, 16));
      i += 2;
    } else if (c === '+') bytes.push(0x20);
    else for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
  }
  return Buffer.from(bytes).toString('utf8');
}

// ---------- index / slice / len ----------

function indexArg(i: unknown, cap: number): number {
  if (isNil(i)) throw new GoCallError('cannot index slice/array with nil');
  if (typeof i !== 'number' || !Number.isInteger(i)) {
    throw new GoCallError(`cannot index slice/array with type ${typeName(i)}`);
  }
  if (i < 0 || i > cap) throw new GoCallError(`index out of range: ${i}`);
  return i;
}

function index(item: unknown, ...indexes: unknown[]): unknown {
  if (isNil(item)) throw new GoCallError('index of untyped nil');
  for (const ix of indexes) {
    if (isNil(item)) throw new GoCallError('index of nil pointer');
    const s = stringContent(item);
    const items = sliceItems(item);
    if (s !== undefined || items) {
      const len = s !== undefined ? utf8Length(s) : items!.length;
      const x = indexArg(ix, len);
      if (x === len) throw new GoCallError(`index out of range: ${x}`);
      item = s !== undefined ? Buffer.from(s, 'utf8')[x]! : items![x];
    } else if (item instanceof GoMap || isPlainObject(item)) {
      if (typeof ix !== 'string') {
        if (isNil(ix)) throw new GoCallError('value is nil; should be of type string');
        throw new GoCallError(`value has type ${typeName(ix)}; should be string`);
      }
      item = mapGet(item as GoMap | Record<string, unknown>, ix).value;
    } else {
      throw new GoCallError(`can't index item of type ${typeName(item)}`);
    }
  }
  return item;
}

function slice(item: unknown, ...indexes: unknown[]): unknown {
  if (isNil(item)) throw new GoCallError('slice of untyped nil');
  if (indexes.length > 3) throw new GoCallError(`too many slice indexes: ${indexes.length}`);
  const s = stringContent(item);
  const items = sliceItems(item);
  let len: number;
  if (s !== undefined) {
    if (indexes.length === 3) throw new GoCallError('cannot 3-index slice a string');
    len = utf8Length(s);
  } else if (items) len = items.length;
  else throw new GoCallError(`can't slice item of type ${typeName(item)}`);
  const idx = [0, len, len];
  indexes.forEach((ix, i) => {
    idx[i] = indexArg(ix, len);
  });
  if (idx[0]! > idx[1]!) throw new GoCallError(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1]! > idx[2]!) throw new GoCallError(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (s !== undefined) return Buffer.from(s, 'utf8').subarray(idx[0], idx[1]).toString('utf8');
  const part = items!.slice(idx[0], idx[1]);
  if (item instanceof StringSlice) return new StringSlice(part as string[], item.goType);
  if (item instanceof GoSlice) {
    const ctor = item.constructor as new (items: readonly unknown[], goType?: string) => GoSlice;
    try {
      return new ctor(part, item.goType);
    } catch {
      return part;
    }
  }
  return part;
}

function length(item: unknown): number {
  if (isNil(item)) throw new GoCallError('len of nil pointer');
  const s = stringContent(item);
  if (s !== undefined) return utf8Length(s);
  const items = sliceItems(item);
  if (items) return items.length;
  if (item instanceof GoMap) return item.size;
  if (isPlainObject(item)) return Object.keys(item).length;
  throw new GoCallError(`len of type ${typeName(item)}`);
}

function call(fn: unknown, ...args: unknown[]): unknown {
  if (isNil(fn)) throw new GoCallError('call of nil');
  if (typeof fn === 'function') return (fn as (...a: unknown[]) => unknown)(...args);
  throw new GoCallError(`non-function of type ${typeName(fn)}`);
}

/** Go's builtin functions. */
export function builtinFuncs(): Map<string, FuncEntry> {
  const m = new Map<string, FuncEntry>();
  m.set('and', 'and');
  m.set('or', 'or');
  m.set('not', f(['reflect'], (a) => !truth(a)));
  m.set('len', f(['reflect'], length));
  m.set('index', f(['reflect'], index, 'reflect'));
  m.set('slice', f(['reflect'], slice, 'reflect'));
  m.set('call', f(['reflect'], call, 'reflect'));
  m.set('print', f([], (...a) => sprint(a), 'any'));
  m.set('printf', f(['string'], (fmt, ...a) => sprintf(fmt as string, a), 'any'));
  m.set('println', f([], (...a) => sprintln(a), 'any'));
  m.set('html', f([], (...a) => htmlEscapeString(evalArgsString(a)), 'any'));
  m.set('js', f([], (...a) => jsEscapeString(evalArgsString(a)), 'any'));
  m.set('urlquery', f([], (...a) => queryEscape(evalArgsString(a)), 'any'));
  m.set('eq', f(['reflect'], eq as GoFunc['fn'], 'reflect'));
  m.set('ne', f(['reflect', 'reflect'], (a, b) => !eq(a, b)));
  m.set('lt', f(['reflect', 'reflect'], (a, b) => lt(a, b)));
  m.set('le', f(['reflect', 'reflect'], (a, b) => lt(a, b) || eq(a, b)));
  m.set('gt', f(['reflect', 'reflect'], (a, b) => !(lt(a, b) || eq(a, b))));
  m.set('ge', f(['reflect', 'reflect'], (a, b) => !lt(a, b)));
  return m;
}

// ---------- Alertmanager's function map ----------

function mapCase(s: string, upper: boolean): string {
  let out = '';
  for (const ch of s) {
    const c = upper ? ch.toUpperCase() : ch.toLowerCase();
    // Go maps rune by rune (unicode.ToUpper); keep runes whose full mapping is not a single rune
    out += [...c].length === 1 ? c : ch;
  }
  return out;
}

/** cases.Title(language.AmericanEnglish): upper-case the first letter of each word, lower-case the rest. */
function title(s: string): string {
  let out = '';
  let inWord = false;
  const chars = [...s];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (/[\p{L}\p{M}]/u.test(ch)) {
      out += inWord ? mapCase(ch, false) : titleRune(ch);
      inWord = true;
    } else if (/[\p{N}_]/u.test(ch)) {
      out += ch;
      inWord = true;
    } else if ((ch === "'" || ch === '’' || ch === '.' || ch === ':') && inWord && /\p{L}/u.test(chars[i + 1] ?? '')) {
      // word-internal punctuation (don't, e.g. "a.b" stays one word)
      out += ch;
    } else {
      out += ch;
      inWord = false;
    }
  }
  return out;
}

function titleRune(ch: string): string {
  const special: Record<string, string> = { ǆ: 'ǅ', ǉ: 'ǈ', ǌ: 'ǋ', ǳ: 'ǲ', Ǆ: 'ǅ', Ǉ: 'ǈ', Ǌ: 'ǋ', Ǳ: 'ǲ', ß: 'Ss' };
  if (ch in special) return special[ch]!;
  return ch.toUpperCase();
}

const GO_SPACE = '\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000';
const TRIM_RE = new RegExp(`^[${GO_SPACE}]+|[${GO_SPACE}]+$`, 'g');

function compileRe(pattern: string): RE2JS {
  try {
    return compileRe2(pattern);
  } catch (e) {
    throw new GoCallError(`error parsing regexp: ${(e as Error).message.replace(/^error parsing regexp: /, '')}`);
  }
}

const reCache = new Map<string, RE2JS>();
function cachedRe(pattern: string): RE2JS {
  let re = reCache.get(pattern);
  if (!re) {
    re = compileRe(pattern);
    if (reCache.size > 500) reCache.clear();
    reCache.set(pattern, re);
  }
  return re;
}

/** regexp.ReplaceAllString with Go's Expand rules: $1, ${1}, $name, ${name}, $$; unknown groups expand to "". */
function goReplaceAll(re: RE2JS, text: string, repl: string): string {
  const groups = re.namedGroups() as Record<string, number>;
  const groupCount = re.groupCount();
  const m = re.matcher(text);
  let out = '';
  let last = 0;
  let searchFrom = 0;
  while (searchFrom <= text.length && m.find(searchFrom)) {
    const start = m.start();
    const end = m.end();
    out += text.slice(last, start);
    out += repl.replace(/\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (all, _x, braced, bare) => {
      if (all === '$$') return '$';
      const name: string = braced ?? bare;
      const idx = /^[0-9]+$/.test(name) ? Number(name) : groups[name];
      if (idx === undefined || idx > groupCount) return '';
      return m.group(idx) ?? '';
    });
    last = end;
    searchFrom = end === start ? end + 1 : end;
    if (end === start && start < text.length) {
      // empty match: copy one character and continue after it
      const cp = text.codePointAt(start)!;
      const w = cp > 0xffff ? 2 : 1;
      out += text.slice(start, start + w);
      last = start + w;
      searchFrom = start + w;
    }
  }
  return out + text.slice(last);
}

function toFloatForHumanize(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v instanceof GoDuration) return v.ns / 1e9;
  if (v instanceof GoFloat) return v.v;
  if (typeof v === 'string') {
    const t = v.trim() === v ? v : '';
    const n = /^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|[iI]nf(inity)?|NaN)$/.test(t)
      ? Number(t.replace(/inf(inity)?/i, 'Infinity'))
      : Number.NaN;
    if (Number.isNaN(n) && !/^[+-]?NaN$/i.test(t)) {
      throw new GoCallError(`strconv.ParseFloat: parsing ${JSON.stringify(v)}: invalid syntax`);
    }
    return n;
  }
  throw new GoCallError(`can't convert ${typeName(v)} to float`);
}

/** prometheus/common helpers/templates HumanizeDuration */
export function humanizeDuration(v: unknown): string {
  let x = toFloatForHumanize(v);
  if (Number.isNaN(x) || !Number.isFinite(x)) return sprintf('%.4g', [new GoFloat(x)]);
  if (x === 0) return sprintf('%.4gs', [new GoFloat(x)]);
  if (Math.abs(x) >= 1) {
    let sign = '';
    if (x < 0) {
      sign = '-';
      x = -x;
    }
    const d = Math.trunc(x);
    const seconds = d % 60;
    const minutes = Math.trunc(d / 60) % 60;
    const hours = Math.trunc(d / 3600) % 24;
    const days = Math.trunc(d / 86400);
    if (days !== 0) return `${sign}${days}d ${hours}h ${minutes}m ${seconds}s`;
    if (hours !== 0) return `${sign}${hours}h ${minutes}m ${seconds}s`;
    if (minutes !== 0) return `${sign}${minutes}m ${seconds}s`;
    return sign + sprintf('%.4gs', [new GoFloat(x)]);
  }
  let prefix = '';
  for (const p of ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y']) {
    if (Math.abs(x) >= 1) break;
    prefix = p;
    x *= 1000;
  }
  return sprintf('%.4g%ss', [new GoFloat(x), prefix]);
}

const B64URL = /^[A-Za-z0-9_-]*={0,2}$/;
function base64Decode(s: string): string {
  const bad = (i: number): never => {
    throw new GoCallError(`illegal base64 data at input byte ${i}`);
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (!/[A-Za-z0-9_\-=]/.test(c)) bad(i);
  }
  if (!B64URL.test(s)) bad(s.indexOf('='));
  if (s.length % 4 !== 0) {
    // Go reports the offset where the incomplete quantum starts (plus padding rules)
    bad(s.length - (s.length % 4) + Math.min(s.length % 4, 1) - (s.length % 4 === 1 ? 1 : 0));
  }
  const pad = s.length - s.replace(/=+$/, '').length;
  if (pad > 0 && (s.length - pad) % 4 < 2) bad(s.length - pad);
  return Buffer.from(s, 'base64url').toString('utf8');
}

export interface FuncContext {
  /** current time (the `now` and `since` functions) */
  readonly now: () => number;
}

/** Alertmanager's DefaultFuncs (master), with `routeLabels` as a placeholder replaced per render. */
export function alertmanagerFuncs(ctx: FuncContext): Map<string, FuncEntry> {
  const m = new Map<string, FuncEntry>();
  m.set('toUpper', f(['string'], (s) => mapCase(s as string, true)));
  m.set('toLower', f(['string'], (s) => mapCase(s as string, false)));
  m.set('title', f(['string'], (s) => title(s as string)));
  m.set('trimSpace', f(['string'], (s) => (s as string).replace(TRIM_RE, '')));
  m.set('join', f(['string', 'strings'], (sep, l) => ((l as StringSlice | null)?.items ?? []).join(sep as string)));
  m.set('match', f(['string', 'string'], (re, s) => compileRe(re as string).matcher(s as string).find()));
  m.set('safeHtml', f(['string'], (s) => new SafeHTML(s as string)));
  m.set('safeUrl', f(['string'], (s) => new SafeURL(s as string)));
  m.set('urlUnescape', f(['string'], (s) => queryUnescape(s as string)));
  m.set(
    'reReplaceAll',
    f(['string', 'string', 'string'], (p, r, t) => {
      let re: RE2JS;
      try {
        re = cachedRe(p as string);
      } catch (e) {
        throw new GoCallError(`regexp: Compile(${goQuoteBack(p as string)}): ${(e as Error).message}`);
      }
      return goReplaceAll(re, t as string, r as string);
    }),
  );
  m.set('stringSlice', f([], (...s) => new StringSlice(s as string[]), 'string'));
  m.set('routeLabels', f(['string'], () => ''));
  m.set('date', f(['string', 'time'], (l, t) => (t as GoTime).format(l as string)));
  m.set('tz', f(['string', 'time'], (n, t) => (t as GoTime).in(loadLocation(n as string))));
  m.set('now', f([], () => new GoTime(ctx.now())));
  m.set(
    'since',
    f(['time'], (t) => {
      const tt = t as GoTime;
      return new GoDuration((ctx.now() - tt.ms) * 1e6 - tt.nsRem);
    }),
  );
  m.set('humanizeDuration', f(['any'], humanizeDuration));
  m.set('toDate', f(['string', 'string'], (l, s) => parseGoTime(l as string, s as string, false)));
  m.set('mustToDate', f(['string', 'string'], (l, s) => parseGoTime(l as string, s as string, true)));
  m.set('toJson', f(['any'], (v) => goJson(v)));
  m.set('base64encode', f(['string'], (s) => Buffer.from(s as string, 'utf8').toString('base64url') + pad4(s as string)));
  m.set('base64decode', f(['string'], (s) => base64Decode(s as string)));
  m.set('list', f([], (...a) => a, 'any'));
  m.set('append', f(['anys'], (l, ...a) => [...((l as unknown[] | null) ?? []), ...a], 'any'));
  m.set(
    'dict',
    f(
      [],
      (...a) => {
        if (a.length % 2 !== 0) throw new GoCallError('dict requires an even number of arguments');
        const out: Record<string, unknown> = {};
        for (let i = 0; i < a.length; i += 2) {
          if (typeof a[i] !== 'string') throw new GoCallError('dict keys must be strings');
          out[a[i] as string] = a[i + 1];
        }
        return out;
      },
      'any',
    ),
  );
  return m;
}

function pad4(s: string): string {
  const n = Buffer.byteLength(s, 'utf8') % 3;
  return n === 1 ? '==' : n === 2 ? '=' : '';
}

function goQuoteBack(s: string): string {
  return s.includes('`') ? JSON.stringify(s) : '`' + s + '`';
}

export { numVal };

/** Names of every function a template may call (Go builtins + Alertmanager's function map), for syntax checks. */
export function templateFunctionNames(): Set<string> {
  return new Set([...builtinFuncs().keys(), ...alertmanagerFuncs({ now: Date.now }).keys()]);
}
