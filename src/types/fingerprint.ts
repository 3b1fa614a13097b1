/**
 * Alert fingerprint: FNV-1a 64 over the label set, as prometheus/common model.LabelSet.Fingerprint()
 * (labelSetToFingerprint): names sorted byte-wise; for each, the UTF-8 bytes of the name, 0xFF, the bytes of
 * the value, 0xFF. Printed as 16 lower-case hex digits. The empty set hashes to the offset basis.
 *
 * The 64-bit state is kept in four 16-bit limbs so every step stays in exact integer double arithmetic
 * (no BigInt per byte). The prime is 2^40 + 0x1b3, so h*prime = h*0x1b3 + (h << 40).
 */
import type { LabelSet } from './alert';
import { compareStrings } from './labels';

const SEPARATOR = 0xff;

/**
 * Feeds the UTF-8 bytes of s (lone surrogates as U+FFFD, like Buffer.from) followed by the 0xFF separator into
 * the state h = [h0, h1, h2, h3] (16-bit limbs, least significant first).
 */
function feed(h: Uint32Array, s: string): void {
  let h0 = h[0]!;
  let h1 = h[1]!;
  let h2 = h[2]!;
  let h3 = h[3]!;
  const n = s.length;
  let i = 0;
  // bytes of one character, at most 4; b = -1 ends the character
  let pending = 0;
  let bytes = 0;
  for (;;) {
    let b: number;
    if (pending > 0) {
      pending--;
      b = (bytes >>> (pending * 8)) & 0xff;
    } else if (i < n) {
      const c = s.charCodeAt(i++);
      if (c < 0x80) {
        b = c;
      } else {
        let cp = c;
        if (c >= 0xd800 && c <= 0xdfff) {
          const next = i < n ? s.charCodeAt(i) : 0;
          if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
            cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
            i++;
          } else {
            cp = 0xfffd;
          }
        }
        if (cp < 0x800) {
          b = 0xc0 | (cp >> 6);
          bytes = 0x80 | (cp & 0x3f);
          pending = 1;
        } else if (cp < 0x10000) {
          b = 0xe0 | (cp >> 12);
          bytes = ((0x80 | ((cp >> 6) & 0x3f)) << 8) | (0x80 | (cp & 0x3f));
          pending = 2;
        } else {
          b = 0xf0 | (cp >> 18);
          bytes = ((0x80 | ((cp >> 12) & 0x3f)) << 16) | ((0x80 | ((cp >> 6) & 0x3f)) << 8) | (0x80 | (cp & 0x3f));
          pending = 3;
        }
      }
    } else if (i === n) {
      i++;
      b = SEPARATOR;
    } else {
      break;
    }
    // h = (h ^ b) * (2^40 + 0x1b3) mod 2^64
    const x0 = h0 ^ b;
    const t0 = x0 * 0x1b3;
    const t1 = h1 * 0x1b3 + (t0 >>> 16);
    const t2 = h2 * 0x1b3 + (x0 << 8) + (t1 >>> 16);
    const t3 = h3 * 0x1b3 + (h1 << 8) + (t2 >>> 16);
    h0 = t0 & 0xffff;
    h1 = t1 & 0xffff;
    h2 = t2 & 0xffff;
    h3 = t3 & 0xffff;
  }
  h[0] = h0;
  h[1] = h1;
  h[2] = h2;
  h[3] = h3;
}

const hex4 = (n: number): string => n.toString(16).padStart(4, '0');

/** The alert fingerprint of a label set: 16 lower-case hex digits. */
export function fingerprint(labels: LabelSet): string {
  // offset basis 14695981039346656037 = 0xcbf29ce484222325
  const h = Uint32Array.of(0x2325, 0x8422, 0x9ce4, 0xcbf2);
  const names = Object.keys(labels);
  // Prometheus sends label names sorted (Go marshals a map in key order): sorted only when they are not
  for (let i = 1; i < names.length; i++) {
    if (compareStrings(names[i - 1]!, names[i]!) > 0) {
      names.sort(compareStrings);
      break;
    }
  }
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    feed(h, name);
    feed(h, labels[name]!);
  }
  return hex4(h[3]!) + hex4(h[2]!) + hex4(h[1]!) + hex4(h[0]!);
}
