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
