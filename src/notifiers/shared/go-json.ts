/**
 * @module notifiers/shared/go-json
 * JSON as Go's encoding/json Encoder writes it (the wire format of upstream's HTTP notifiers): `<`, `>`, `&`,
 * U+2028 and U+2029 escaped as \u003c etc., map keys sorted (Go sorts map[string]any keys; struct fields keep
 * declaration order, which our payload types mirror), and a trailing newline (Encoder.Encode).
 */

/** Recursively sorts the keys of a plain object (a Go map) and everything nested in it. */
export function sortedMap(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedMap);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as Record<string, unknown>).sort(byteOrder)) out[k] = sortedMap((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

const ESCAPES: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

/** Go's json.Marshal output for a value whose objects are already in Go field/key order. */
export function goMarshal(v: unknown): string {
  // these characters can only occur inside JSON strings, so replacing them in the whole text is safe
  return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => ESCAPES[c]!);
}

/** json.NewEncoder(w).Encode(v): Marshal + "\n". */
export function goEncode(v: unknown): string {
  return `${goMarshal(v)}\n`;
}
