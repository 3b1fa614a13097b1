import { type DecodedBatch, decodePostableAlerts } from './postable-alerts';

const opts = { now: Date.parse('2026-01-01T00:00:00Z'), resolveTimeout: 300_000, labelNameMode: 'fallback' as const };

function decode(text: string): DecodedBatch {
  const r = decodePostableAlerts(text, opts);
  if ('status' in r) throw new Error(`refused: ${r.body.message}`);
  return r;
}

describe('decodePostableAlerts: lone surrogates become U+FFFD (Go encoding/json)', () => {
  test('escaped lone surrogates in label names, values, annotations and generatorURL', () => {
    const text = String.raw`[{"labels":{"a\ud800":"x\udc00y","ok":"\ud83d\ude00"},"annotations":{"s":"\uDBFF!"},"generatorURL":"http://g/\ud800"}]`;
    const [a] = decode(text).valid;
    expect(a!.labels).toEqual({ 'a\ufffd': 'x\ufffdy', ok: '\u{1F600}' });
    expect(a!.annotations).toEqual({ s: '\ufffd!' });
    expect(a!.generatorURL).toBe('http://g/\ufffd');
  });

  test('a raw lone surrogate in the text', () => {
    const [a] = decode(`[{"labels":{"a":"x\ud800"}}]`).valid;
    expect(a!.labels).toEqual({ a: 'x\ufffd' });
  });

  test('text without surrogates decodes unchanged', () => {
    const [a] = decode('[{"labels":{"alertname":"A","u":"\\u00e9t\\u00e9"},"annotations":{"d":"caf\u00e9"}}]').valid;
    expect(a!.labels).toEqual({ alertname: 'A', u: 'été' });
    expect(a!.annotations).toEqual({ d: 'café' });
  });
});

describe('decodePostableAlerts: validation and shared timestamps', () => {
  test('of several invalid label names the first in byte order is reported (classic mode)', () => {
    const r = decodePostableAlerts('[{"labels":{"z-z":"1","ok":"2","a-a":"3"}}]', { ...opts, labelNameMode: 'classic' });
    expect('status' in r ? r : r.errors).toEqual(['invalid label set: invalid name "a-a"']);
  });

  test('alerts sharing a timestamp text get the same parsed times; distinct texts are parsed each', () => {
    const text = JSON.stringify([
      { labels: { a: '1' }, startsAt: '2025-12-31T23:00:00Z', endsAt: '2026-01-01T01:00:00.5+01:00' },
      { labels: { a: '2' }, startsAt: '2025-12-31T23:00:00Z', endsAt: '2026-01-01T01:00:00.5+01:00' },
      { labels: { a: '3' }, startsAt: '2025-12-31T22:00:00Z', endsAt: '2026-01-01T02:00:00Z' },
    ]);
    const v = decode(text).valid;
    expect(v.map((a) => [a.startsAt, a.endsAt])).toEqual([
      [Date.parse('2025-12-31T23:00:00Z'), Date.parse('2026-01-01T00:00:00.500Z')],
      [Date.parse('2025-12-31T23:00:00Z'), Date.parse('2026-01-01T00:00:00.500Z')],
      [Date.parse('2025-12-31T22:00:00Z'), Date.parse('2026-01-01T02:00:00Z')],
    ]);
  });
});
