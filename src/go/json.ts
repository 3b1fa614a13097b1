/**
 * @module go/json
 * JSON text as Go's encoding/json writes it, by default with HTML escaping on (json.Marshal, and json.Encoder's
 * default SetEscapeHTML(true)): `<`, `>`, `&`, U+2028 and U+2029 escaped as \u003c, \u003e, \u0026, \u2028, \u2029, and a
 * lone surrogate (which Go would see as an invalid UTF-8 sequence) written as \ufffd. Everything else is what
 * JSON.stringify writes: the same short escapes (\" \\ \b \f \n \r \t) and \u00XX for other control characters.
 * (encoding/json encode.go, appendString.)
 */
import { compareStrings } from '../types/labels';

// In JSON.stringify's output a backslash only starts an escape. `\\` is matched as a pair so the second backslash
// is never taken as the start of `\uXXXX`; lone surrogates are the only `\udXXX` escapes JSON.stringify writes.
const GO_DIFFERENCES_HTML = /\\\\|\\ud[89a-f][0-9a-f]{2}|[<>&\u2028\u2029]/g;
// json.Encoder with SetEscapeHTML(false), as go-openapi's JSON producer (the API) writes
const GO_DIFFERENCES = /\\\\|\\ud[89a-f][0-9a-f]{2}|[\u2028\u2029]/g;
// quick checks: text without these characters is already in Go's form (the common case on hot paths)
const MAYBE_HTML = /[\\<>&\u2028\u2029]/;
const MAYBE = /[\\\u2028\u2029]/;

function goEscape(m: string): string {
  if (m === '\\\\') return m;
  if (m.length === 6) return '\\ufffd';
  return `\\u${m.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * Rewrites JSON.stringify output into Go's encoding/json form (see the module comment). With escapeHtml false,
 * `<`, `>` and `&` stay as they are (json.Encoder.SetEscapeHTML(false)).
 */
export function toGoJsonText(json: string, escapeHtml = true): string {
  if (escapeHtml) return MAYBE_HTML.test(json) ? json.replace(GO_DIFFERENCES_HTML, goEscape) : json;
  return MAYBE.test(json) ? json.replace(GO_DIFFERENCES, goEscape) : json;
}

/**
 * A finite float64 as encoding/json writes it (encode.go floatEncoder): exponent form below 1e-6 and from 1e21,
 * with a one-digit exponent not padded (1e-7, 1e+21); otherwise the shortest decimal.
 */
export function goJsonFloat(f: number): string {
  const a = Math.abs(f);
  if (a !== 0 && (a < 1e-6 || a >= 1e21)) return f.toExponential();
  return String(f);
}

/** A string as an encoding/json string literal, quotes included. */
export function goJsonString(s: string, escapeHtml = true): string {
  return toGoJsonText(JSON.stringify(s), escapeHtml);
}

/** json.Marshal of a JSON-compatible value whose objects already have Go's field/key order. */
export function goMarshal(value: unknown, escapeHtml = true): string {
  return toGoJsonText(JSON.stringify(value), escapeHtml);
}

/** json.NewEncoder(w).Encode(value), as upstream's HTTP notifiers write request bodies: goMarshal + "\n". */
export function goEncode(value: unknown): string {
  return `${goMarshal(value)}\n`;
}

/**
 * A copy of a JSON-compatible value with every plain object's keys in Go's map order (byte order, as encoding/json
 * sorts map keys). Use it for values that are Go maps; Go structs keep their declaration order instead.
 */
export function sortedMap(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedMap);
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(obj).sort(compareStrings)) out[k] = sortedMap(obj[k]);
    return out;
  }
  return value;
}
