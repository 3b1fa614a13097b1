/**
 * @module routing/labels
 * Go-compatible string forms and orderings of label sets, used for group keys, route keys and sorts.
 */
import type { Alert, LabelSet } from '../types/alert';

/** Byte-wise (UTF-8) string order, as Go compares strings. UTF-16 order differs only for astral vs U+E000..U+FFFF. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/** Go strconv.Quote: double-quoted, with Go escapes for control and non-printable characters. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
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
      case '\t':
        out += '\\t';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\x07':
        out += '\\a';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '\v':
        out += '\\v';
        continue;
    }
    if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd';
    else if ((c >= 0x80 && c < 0xa0) || c === 0xad || c === 0xfeff || c === 0x2028 || c === 0x2029)
      out += c > 0xffff ? `\\U${c.toString(16).padStart(8, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

export function sortedNames(ls: LabelSet): string[] {
  return Object.keys(ls).sort(compareStrings);
}

/**
 * model.LabelSet.String(): `{a="1", b="2"}` with names sorted and values Go-quoted
 * (prometheus/common model/labelset.go). Used verbatim in group keys.
 */
export function labelSetString(ls: LabelSet): string {
  const parts: string[] = [];
  for (const n of sortedNames(ls)) parts.push(`${n}=${goQuote(ls[n]!)}`);
  return `{${parts.join(', ')}}`;
}

/** model.LabelSet.Before: fewer labels first, then by the sorted union of names, then values. */
export function labelSetBefore(a: LabelSet, b: LabelSet): boolean {
  return compareLabelSets(a, b) < 0;
}

export function compareLabelSets(a: LabelSet, b: LabelSet): number {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return ka.length < kb.length ? -1 : 1;
  const names = [...new Set([...ka, ...kb])].sort(compareStrings);
  for (const n of names) {
    const va = a[n];
    const vb = b[n];
    if (va === undefined) return -1;
    if (vb === undefined) return 1;
    if (va !== vb) return compareStrings(va, vb);
  }
  return 0;
}

/** alert.AlertSlice order: by job, then instance (alerts lacking the label after), then the label set. */
export function compareAlerts(a: Pick<Alert, 'labels'>, b: Pick<Alert, 'labels'>): number {
  for (const key of ['job', 'instance']) {
    const x = a.labels[key];
    const y = b.labels[key];
    if (x === undefined && y === undefined) continue;
    if (x === undefined) return 1;
    if (y === undefined) return -1;
    if (x !== y) return compareStrings(x, y);
  }
  return compareLabelSets(a.labels, b.labels);
}
