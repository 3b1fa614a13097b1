import type { LabelSet } from './alert';
import { fingerprint } from './fingerprint';
import fixtureJson from './testdata/fingerprints.json';

const fixture = fixtureJson as unknown as { cases: { labels: LabelSet; fingerprint: string }[] };

/** Straightforward reference FNV-1a 64 with BigInt, independent of the limb implementation. */
function referenceFingerprint(labels: LabelSet): string {
  const prime = 1099511628211n;
  const mask = (1n << 64n) - 1n;
  let h = 14695981039346656037n;
  const feed = (bytes: Uint8Array) => {
    for (const b of bytes) h = ((h ^ BigInt(b)) * prime) & mask;
  };
  const names = Object.keys(labels).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  for (const n of names) {
    feed(Buffer.from(n, 'utf8'));
    feed(Uint8Array.of(0xff));
    feed(Buffer.from(labels[n]!, 'utf8'));
    feed(Uint8Array.of(0xff));
  }
  return h.toString(16).padStart(16, '0');
}

describe('fingerprint()', () => {
  test('matches the values recorded from the real Alertmanager', () => {
    expect(fixture.cases.length).toBeGreaterThanOrEqual(30);
    for (const c of fixture.cases) {
      expect([c.labels, fingerprint(c.labels)]).toEqual([c.labels, c.fingerprint]);
    }
  });

  test('matches the reference values from the spec', () => {
    expect(fingerprint({ alertname: 'A', instance: 'i1', severity: 'critical', team: 'x' })).toBe('504cbf404dbd13ed');
    expect(fingerprint({ alertname: 'A', severity: 'warning', team: 'x' })).toBe('90e4a31b5693a8a3');
  });

  test('empty set hashes to the offset basis', () => {
    expect(fingerprint({})).toBe('cbf29ce484222325');
  });

  const extra: LabelSet[] = [
    { a: '' },
    { a: '', b: '' },
    { '': '' },
    { 'foo🙂': 'bar' },
    { 'ü': 'x', u: 'y', 'z': 'w' },
    { '\ue000': '1', '𝄞': '2' }, // UTF-16 order differs from byte order here
    { a: '\ud800' }, // lone surrogate: encoded as U+FFFD like Buffer.from
    { a: 'x'.repeat(10000) },
    { 'job': 'a\u0000b' },
    ...fixture.cases.map((c) => c.labels),
  ];
  test.each(extra.map((l) => [JSON.stringify(l).slice(0, 60), l] as const))('agrees with the BigInt reference: %s', (_n, l) => {
    expect(fingerprint(l)).toBe(referenceFingerprint(l));
  });

  test('does not depend on key insertion order', () => {
    expect(fingerprint({ b: '2', a: '1' })).toBe(fingerprint({ a: '1', b: '2' }));
  });

  // Throughput is measured in bench/micro/fingerprint.ts. Here: a linear-time safety check. Two 1M-character
  // values (ASCII and 2-, 3- and 4-byte UTF-8) take ~20-60 ms on the shared 2-core machine, so the 2 s bound has
  // 30-100x headroom; anything quadratic in the value length would take minutes.
  test('is linear in the input: 2M characters of label values hash in well under the bound', () => {
    const ascii = 'x'.repeat(1_000_000);
    const mixed = '\u00e9\u20ac\u{1f600}'.repeat(250_000);
    const t0 = performance.now();
    const fp = fingerprint({ a: ascii, b: mixed });
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(fp).toMatch(/^[0-9a-f]{16}$/);
    expect(fp).not.toBe(fingerprint({ a: ascii, b: mixed.slice(0, -2) }));
  });
});
