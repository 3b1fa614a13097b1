/**
 * @module go/url
 * Go net/url encoding helpers: url.QueryEscape and url.Values.Encode (pushover, sns, wechat request encoding and the
 * templates' `urlquery`).
 */
import { compareStrings } from '../types/labels';

// String.prototype.isWellFormed / toWellFormed (Node 20; typed in lib ES2024)
type WellFormed = string & { isWellFormed(): boolean; toWellFormed(): string };

/**
 * Go url.QueryEscape: A-Z a-z 0-9 - _ . ~ kept, space as '+', every other UTF-8 byte as %XX (upper case). A lone
 * surrogate (invalid UTF-16) is encoded as U+FFFD, as Go sees it after conversion.
 */
export function goQueryEscape(s: string): string {
  const text = (s as WellFormed).isWellFormed() ? s : (s as WellFormed).toWellFormed();
  // encodeURIComponent also keeps ! ' ( ) *, which Go escapes
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** Go url.Values.Encode: sorted by key (byte order; a key's values keep their order), each part QueryEscape'd. */
export function goEncodeQuery(params: readonly (readonly [string, string])[]): string {
  return [...params]
    .map((p, i) => [p, i] as const)
    .sort((a, b) => compareStrings(a[0][0], b[0][0]) || a[1] - b[1])
    .map(([[k, v]]) => `${goQueryEscape(k)}=${goQueryEscape(v)}`)
    .join('&');
}
