/**
 * @module types/runes
 * String length in Unicode code points (Go's utf8.RuneCountInString), not UTF-16 units (String.length).
 */
export function runeCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}
