/**
 * encoding/json's Marshal for template values (toJson): HTML-safe string escaping, sorted map keys,
 * Go float formatting, time.Time as RFC 3339 with nanoseconds.
 */
import { goJsonFloat, goJsonString } from '../go/json';
import { GoTime } from './time-values';
import { GoCallError, GoFloat, GoMap, GoSlice, GoStruct, isPlainObject, SafeHTML, SafeURL } from './values';

function jsonFloat(f: number): string {
  if (!Number.isFinite(f)) throw new GoCallError(`json: unsupported value: ${f > 0 ? '+Inf' : f < 0 ? '-Inf' : 'NaN'}`);
  return goJsonFloat(f);
}

export function goJson(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return goJsonString(v);
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
  if (v instanceof SafeHTML || v instanceof SafeURL) return goJsonString(v.s);
  if (v instanceof GoTime) return goJsonString(v.toJSON());
  if (Array.isArray(v)) return '[' + v.map(goJson).join(',') + ']';
  if (v instanceof GoSlice) return '[' + v.items.map(goJson).join(',') + ']';
  if (v instanceof GoMap) {
    return '{' + v.sortedKeys().map((k) => goJsonString(k) + ':' + goJson(v.get(k))).join(',') + '}';
  }
  if (isPlainObject(v)) {
    const keys = Object.keys(v).sort();
    return '{' + keys.map((k) => goJsonString(k) + ':' + goJson(v[k])).join(',') + '}';
  }
  if (v instanceof GoStruct) {
    const j = (v as { toJSON?: () => unknown }).toJSON;
    if (typeof j === 'function') {
      const o = j.call(v);
      if (isPlainObject(o)) {
        // struct fields keep declaration order
        return '{' + Object.keys(o).map((k) => goJsonString(k) + ':' + goJson(o[k])).join(',') + '}';
      }
      return goJson(o);
    }
    return '{}';
  }
  return 'null';
}
