/**
 * Alert fingerprint: FNV-1a 64 over the label set, as prometheus/common model.LabelSet.Fingerprint()
 * (labelSetToFingerprint): names sorted byte-wise; for each, the UTF-8 bytes of the name, 0xFF, the bytes of
 * the value, 0xFF. Printed as 16 lower-case hex digits. The empty set hashes to the offset basis.
 *
 * The 64-bit state is kept in four 16-bit limbs so every step stays in exact integer double arithmetic
 * (no BigInt per byte). The prime is 2^40 + 0x1b3, so h*prime = h*0x1b3 + (h << 40).
 */
import type { LabelSet } from './alert';
import { sortedLabelNames } from './labels';

const SEPARATOR = 0xff;

class Fnv64 {
  // offset basis 14695981039346656037 = 0xcbf29ce484222325
  h0 = 0x2325;
  h1 = 0x8422;
  h2 = 0x9ce4;
  h3 = 0xcbf2;

  byte(b: number): void {
    const x0 = this.h0 ^ b;
    const t0 = x0 * 0x1b3;
    const t1 = this.h1 * 0x1b3 + (t0 >>> 16);
    const t2 = this.h2 * 0x1b3 + (x0 << 8) + (t1 >>> 16);
    const t3 = this.h3 * 0x1b3 + (this.h1 << 8) + (t2 >>> 16);
    this.h0 = t0 & 0xffff;
    this.h1 = t1 & 0xffff;
    this.h2 = t2 & 0xffff;
    this.h3 = t3 & 0xffff;
  }

  /** Feeds the UTF-8 encoding of s (lone surrogates as U+FFFD, like Buffer.from(s)). */
  string(s: string): void {
    for (let i = 0; i < s.length; i++) {
      let c = s.charCodeAt(i);
      if (c < 0x80) {
        this.byte(c);
        continue;
      }
      if (c < 0x800) {
        this.byte(0xc0 | (c >> 6));
        this.byte(0x80 | (c & 0x3f));
        continue;
      }
      if (c >= 0xd800 && c <= 0xdfff) {
        const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          const cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          i++;
          this.byte(0xf0 | (cp >> 18));
          this.byte(0x80 | ((cp >> 12) & 0x3f));
          this.byte(0x80 | ((cp >> 6) & 0x3f));
          this.byte(0x80 | (cp & 0x3f));
          continue;
        }
        c = 0xfffd;
      }
      this.byte(0xe0 | (c >> 12));
      this.byte(0x80 | ((c >> 6) & 0x3f));
      this.byte(0x80 | (c & 0x3f));
    }
  }

  hex(): string {
    return (
      this.h3.toString(16).padStart(4, '0') +
      this.h2.toString(16).padStart(4, '0') +
      this.h1.toString(16).padStart(4, '0') +
      this.h0.toString(16).padStart(4, '0')
    );
  }
}

/** The alert fingerprint of a label set: 16 lower-case hex digits. */
export function fingerprint(labels: LabelSet): string {
  const h = new Fnv64();
  for (const name of sortedLabelNames(labels)) {
    h.string(name);
    h.byte(SEPARATOR);
    h.string(labels[name]!);
    h.byte(SEPARATOR);
  }
  return h.hex();
}
