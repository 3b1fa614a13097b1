/**
 * @module notifiers/shared/truncate
 * Upstream notify.TruncateInRunes / TruncateInBytes (notify/util.go): keep the text when it fits, else cut it
 * and end with `…` (U+2026); never split a code point.
 */

const MARKER = '\u2026';

export interface Truncated {
  text: string;
  truncated: boolean;
}

/** At most n code points; when cut and n > 3, the last one is `…`. */
export function truncateInRunes(s: string, n: number): Truncated {
  // fast path: UTF-16 length is an upper bound of the code point count
  if (s.length <= n) return { text: s, truncated: false };
  const cps = Array.from(s);
  if (cps.length <= n) return { text: s, truncated: false };
  if (n <= 3) return { text: cps.slice(0, n).join(''), truncated: true };
  return { text: cps.slice(0, n - 1).join('') + MARKER, truncated: true };
}

/** At most n UTF-8 bytes; when cut and n >= 3, ends with `…` (3 bytes). */
export function truncateInBytes(s: string, n: number): Truncated {
  if (Buffer.byteLength(s, 'utf8') <= n) return { text: s, truncated: false };
  if (n < 3) return { text: takeBytes(s, n), truncated: true };
  return { text: takeBytes(s, n - 3) + MARKER, truncated: true };
}

function takeBytes(s: string, max: number): string {
  let used = 0;
  let out = '';
  for (const cp of s) {
    const len = Buffer.byteLength(cp, 'utf8');
    if (used + len > max) break;
    used += len;
    out += cp;
  }
  return out;
}
