/**
 * encoding/json's Marshal for template values (toJson): HTML-safe string escaping, sorted map keys,
 * Go float formatting, time.Time as RFC 3339 with nanoseconds.
 */
import { GoTime } from './gotime';
import { GoCallError, GoFloat, GoMap, GoSlice, GoStruct, isPlainObject, SafeHTML, SafeURL } from './values';

export function jsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i]!;
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out += ch + s[i + 1];
        i++;
      } else out += '\\ufffd';
      continue;
    }
    if (c >= 0xdc00 && c <= 0xdfff) {
      out += '\\ufffd';
      continue;
    }
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '<':
        out += '\\u003c';
        continue;
      case '>':
        out += '\\u003e';
        continue;
      case '&':
        out += '\\u0026';
        continue;
    }
    if (c < 0x20 || c === 0x2028 || c === 0x2029) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

function jsonFloat(f: number): string {
  if (!Number.isFinite(f)) throw new GoCallError(`json: unsupported value: ${f > 0 ? '+Inf' : f < 0 ? '-Inf' : 'NaN'}`);
  const a = Math.abs(f);
  if (a !== 0 && (a < 1e-6 || a >= 1e21)) {
    // Go: %e shortest, exponent without leading zero padding beyond one digit (1e-07 -> 1e-7)
    return f.toExponential().replace(/e([+-])(\d)$/, 'e$1$2').replace(/e\+/, 'e+');
  }
  return String(f);
}

export function goJson(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return jsonString(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return Number.isInteger(v) ? String(v) : jsonFloat(v);
    case 'undefined':
      return 'null';
    case 'function':
      throw new GoCallError('json: unsupported type: func()');
    default:
      break;
  }
  if (v === null) return 'null';
  if (v instanceof GoFloat) return jsonFloat(v.v);
  if (v instanceof SafeHTML || v instanceof SafeURL) return jsonString(v.s);
  if (v instanceof GoTime) return jsonString(v.toJSON());
  if (Array.isArray(v)) return '[' + v.map(goJson).join(',') + ']';
  if (v instanceof GoSlice) return '[' + v.items.map(goJson).join(',') + ']';
  if (v instanceof GoMap) {
    return '{' + v.sortedKeys().map((k) => jsonString(k) + ':' + goJson(v.get(k))).join(',') + '}';
  }
  if (isPlainObject(v)) {
    const keys = Object.keys(v).sort();
    return '{' + keys.map((k) => jsonString(k) + ':' + goJson(v[k])).join(',') + '}';
  }
  if (v instanceof GoStruct) {
    const j = (v as { toJSON?: () => unknown }).toJSON;
    if (typeof j === 'function') {
      const o = j.call(v);
      if (isPlainObject(o)) {
        // struct fields keep declaration order
        return '{' + Object.keys(o).map((k) => jsonString(k) + ':' + goJson(o[k])).join(',') + '}';
      }
      return goJson(o);
    }
    return '{}';
  }
  return 'null';
}
