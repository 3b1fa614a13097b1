/**
 * Label-set helpers shared across modules: Go-compatible string quoting, byte-wise name ordering and the
 * label-set string form used in group keys.
 */
import type { LabelSet } from './alert';

/** Maps a UTF-16 code unit so that numeric order equals code point (= UTF-8 byte) order. */
function codeUnitRank(u: number): number {
  if (u >= 0xe000) return u - 0x800;
  if (u >= 0xd800) return u + 0x2000;
  return u;
}

/**
 * Compares two strings in UTF-8 byte order, which is Go's string order (`<` on strings, sort.Strings).
 * JS's default order (UTF-16 code units) differs for characters above U+FFFF vs U+E000..U+FFFF.
 */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codeUnitRank(x) - codeUnitRank(y);
  }
  return a.length - b.length;
}

/** Two label sets (or annotation sets) with the same names and values. */
export function sameLabelSet(a: LabelSet, b: LabelSet): boolean {
  if (a === b) return true;
  let n = 0;
  for (const k in a) {
    if (a[k] !== b[k]) return false;
    n++;
  }
  for (const _ in b) n--;
  return n === 0;
}

/** Label names sorted in Go (byte-wise) order. */
export function sortedLabelNames(labels: LabelSet): string[] {
  return Object.keys(labels).sort(compareStrings);
}

// Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols, and the ASCII space.
const PRINTABLE_RE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

function isPrint(cp: number): boolean {
  if (cp < 0x7f) return cp >= 0x20;
  if (cp < 0xa1) return false;
  return PRINTABLE_RE.test(String.fromCodePoint(cp));
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

const PLAIN_ASCII_RE = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * Go's strconv.Quote: double-quoted, with `"` and `\` escaped, \a \b \f \n \r \t \v, other non-printable
 * runes as \xNN (below 0x80), \uNNNN or \UNNNNNNNN; printable Unicode is kept as is.
 */
export function goQuote(s: string): string {
  // the usual text, printable ASCII without a quote or backslash, is quoted as it is
  if (PLAIN_ASCII_RE.test(s)) return `"${s}"`;
  let out = '"';
  for (const ch of s) {
    let cp = ch.codePointAt(0)!;
    // A lone surrogate cannot be UTF-8 encoded; Go would see U+FFFD after conversion.
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp === 0x22 || cp === 0x5c) {
      out += `\\${ch}`;
      continue;
    }
    if (isPrint(cp)) {
      out += String.fromCodePoint(cp);
      continue;
    }
    switch (cp) {
      case 0x07:
        out += '\\a';
        break;
      case 0x08:
        out += '\\b';
        break;
      case 0x0c:
        out += '\\f';
        break;
      case 0x0a:
        out += '\\n';
        break;
      case 0x0d:
        out += '\\r';
        break;
      case 0x09:
        out += '\\t';
        break;
      case 0x0b:
        out += '\\v';
        break;
      default:
        if (cp < 0x20 || cp === 0x7f) out += `\\x${hex(cp, 2)}`;
        else if (cp < 0x10000) out += `\\u${hex(cp, 4)}`;
        else out += `\\U${hex(cp, 8)}`;
    }
  }
  return `${out}"`;
}

/**
 * The label-set string form (prometheus/common model.LabelSet.String, v0.70 as used by master):
 * `{a="1", b="2"}`, entries ordered by label name, values Go-quoted. Empty set: `{}`.
 */
export function labelSetString(labels: LabelSet): string {
  const names = sortedLabelNames(labels);
  let out = '{';
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    if (i > 0) out += ', ';
    out += `${name}=${goQuote(labels[name]!)}`;
  }
  return `${out}}`;
}
