import { type BodyRefusal, type DecodedBatch, type DecodeOptions, decodePostableAlerts } from './postable-alerts';

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

describe('decodePostableAlerts: label and annotation maps', () => {
  test('empty and null label values are left out (annotations keep them); plain objects', () => {
    const [a] = decode('[{"labels":{"alertname":"A","e":"","n":null,"z":"1"},"annotations":{"e":"","n":null,"s":"x"}}]').valid;
    expect(a!.labels).toEqual({ alertname: 'A', z: '1' });
    expect(Object.keys(a!.labels)).toEqual(['alertname', 'z']);
    expect(a!.annotations).toEqual({ e: '', n: '', s: 'x' });
    expect(Object.getPrototypeOf(a!.labels)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(a!.annotations)).toBe(Object.prototype);
    expect(a!.fingerprint).toBe(decode('[{"labels":{"z":"1","alertname":"A"}}]').valid[0]!.fingerprint);
  });

  test('only labels with empty values: no label pair', () => {
    expect(decode('[{"labels":{"a":"","b":null}}]').errors).toEqual(['at least one label pair required']);
  });

  test('a key repaired into an earlier one: the last value wins, an empty last value drops the label', () => {
    const [a] = decode(String.raw`[{"labels":{"k\ud800":"1","k\udc00":"","x":"y"}}]`).valid;
    expect(a!.labels).toEqual({ x: 'y' });
    const [b] = decode(String.raw`[{"labels":{"k\ud800":"","k\udc00":"2","x":"y"}}]`).valid;
    expect(b!.labels).toEqual({ 'k\ufffd': '2', x: 'y' });
  });

  test('a __proto__ key: dropped from labels, an own annotation; no prototype is set', () => {
    const [a] = decode('[{"labels":{"__proto__":"p","a":"1"},"annotations":{"__proto__":"q"}}]').valid;
    expect(Object.keys(a!.labels)).toEqual(['a']);
    expect(Object.getPrototypeOf(a!.labels)).toBe(Object.prototype);
    expect(Object.hasOwn(a!.annotations, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(a!.annotations, '__proto__')?.value).toBe('q');
    expect(Object.getPrototypeOf(a!.annotations)).toBe(Object.prototype);
  });

  test('a non-string value is a type error naming the field', () => {
    const r = decodePostableAlerts('[{"labels":{"a":1}}]', opts);
    expect('status' in r && r.body.message).toBe('parsing alerts body from "" failed, because json: cannot unmarshal number into Go struct field Alert.labels of type string');
  });
});

describe('decodePostableAlerts: field names match case-insensitively (Go encoding/json)', () => {
  test('usual and other spellings decode alike', () => {
    const usual = decode('[{"labels":{"a":"1"},"annotations":{"s":"x"},"startsAt":"2025-12-31T23:00:00Z","endsAt":"2026-01-01T01:00:00Z","generatorURL":"http://g/"}]').valid[0]!;
    const other = decode('[{"LABELS":{"a":"1"},"Annotations":{"s":"x"},"startsat":"2025-12-31T23:00:00Z","ENDSAT":"2026-01-01T01:00:00Z","GeneratorUrl":"http://g/"}]').valid[0]!;
    expect(other).toEqual(usual);
    expect(usual.startsAt).toBe(Date.parse('2025-12-31T23:00:00Z'));
    expect(usual.endsAt).toBe(Date.parse('2026-01-01T01:00:00Z'));
    expect(usual.generatorURL).toBe('http://g/');
    expect(usual.annotations).toEqual({ s: 'x' });
  });
});

describe('decodePostableAlerts: bodies over 256 KB are split into items (same results and Go errors)', () => {
  const item = (i: number) => `{"labels":{"alertname":"Big","instance":"host-${i}"},"annotations":{"summary":"a \\"quoted\\" [x] {y}, z"}}`;
  const items = (n: number) => Array.from({ length: n }, (_, i) => item(i));
  const big = items(3000); // ~330 KB
  const decode = (text: string, extra: Partial<DecodeOptions> = {}) => decodePostableAlerts(text, { ...opts, ...extra });

  it('decodes every item as the one-piece parse of the same items does', () => {
    const whole = decode(`[${big.join(',')}]`) as DecodedBatch;
    const parts = [0, 1000, 2000].map((s) => decode(`[${big.slice(s, s + 1000).join(',')}]`) as DecodedBatch);
    expect(whole.valid).toEqual(parts.flatMap((p) => p.valid));
    expect(whole.valid).toHaveLength(3000);
    expect(whole.valid[5]!.annotations.summary).toBe('a "quoted" [x] {y}, z');
  });

  it.each([
    ['garbage item', `[${big.join(',')},x]`, 400, "parsing alerts body from \"\" failed, because invalid character 'x' looking for beginning of value"],
    ['trailing comma', `[${big.join(',')},]`, 400, "parsing alerts body from \"\" failed, because invalid character ']' looking for beginning of value"],
    ['unterminated', `[${big.join(',')}`, 400, 'parsing alerts body from "" failed, because unexpected EOF'],
    ['closing brace', `[${big.join(',')}}`, 400, "parsing alerts body from \"\" failed, because invalid character '}' after array element"],
    ['missing labels', `[${big.join(',')},{}]`, 422, '3000.labels in body is required'],
  ])('%s: the error of the whole-body parse', (_n, text, status, message) => {
    const r = decode(text) as BodyRefusal;
    expect([r.status, r.body.message]).toEqual([status, message]);
  });

  it("refuses nesting past 10000 levels with Go's error, without parsing it", () => {
    const deep = (n: number) => `[${big.join(',')},${'['.repeat(n)}${']'.repeat(n)}]`;
    const r = decode(deep(10_000)) as BodyRefusal;
    expect([r.status, r.body.message]).toEqual([400, 'parsing alerts body from "" failed, because invalid character \'[\' exceeded max depth']);
    const ok = decode(deep(9_999)) as BodyRefusal;
    expect(ok.body.message).toContain('cannot unmarshal array into Go value');
  });

  it('ignores what follows the array, as Go decodes one value', () => {
    expect((decode(`[${big.join(',')}] trailing`) as DecodedBatch).valid).toHaveLength(3000);
  });

  it('refuses more than maxAlerts with 413, small or split', () => {
    for (const n of [3000, 11]) {
      const r = decode(`[${items(n).join(',')}]`, { maxAlerts: 10 }) as BodyRefusal;
      expect([n, r.status, r.body]).toEqual([n, 413, { code: 413, message: 'too many alerts in one request: over 10 (--tocsin.api.max-alerts-per-request)' }]);
    }
    expect((decode(`[${items(10).join(',')}]`, { maxAlerts: 10 }) as DecodedBatch).valid).toHaveLength(10);
  });
});

describe('decodePostableAlerts: the usual item shape and re-sent alerts', () => {
  test.each([
    ['a bad time', '[{"labels":{"a":"1"},"startsAt":"bad"}]', 'parsing time "bad" as "2006-01-02 15:04:05": cannot parse "bad" as "2006"'],
    ['a type error before a bad time', '[{"labels":{"a":1},"startsAt":"bad"}]', 'json: cannot unmarshal number into Go struct field Alert.labels of type string'],
    ['generatorURL of the wrong type', '[{"startsAt":"bad","labels":{"a":"1"},"generatorURL":5}]', 'json: cannot unmarshal number into Go struct field Alert.generatorURL of type string'],
    ['a bad time after an annotation type error', '[{"labels":{"a":"1"},"annotations":{"x":1},"endsAt":"2026-13-01T00:00:00Z"}]', 'parsing time "2026-13-01T00:00:00Z": month out of range'],
  ])("%s: Go's error, as an item of another shape gets it", (_n, text, message) => {
    const r = decodePostableAlerts(text, opts);
    expect('status' in r && r.body.message).toBe(`parsing alerts body from "" failed, because ${message}`);
  });

  test('a re-sent alert shares the stored alert\'s label and annotation objects when they are equal', () => {
    const first = decode('[{"labels":{"alertname":"A","i":"1"},"annotations":{"s":"x"},"generatorURL":"http://g/1"}]').valid[0]!;
    const stored = (fp: string) => (fp === first.fingerprint ? first : undefined);
    const again = decodePostableAlerts('[{"labels":{"i":"1","alertname":"A"},"annotations":{"s":"x"},"generatorURL":"http://g/1"}]', { ...opts, stored }) as DecodedBatch;
    expect(again.valid[0]!.labels).toBe(first.labels);
    expect(again.valid[0]!.annotations).toBe(first.annotations);
    const changed = decodePostableAlerts('[{"labels":{"alertname":"A","i":"1"},"annotations":{"s":"y"}}]', { ...opts, stored }) as DecodedBatch;
    expect(changed.valid[0]!.labels).toBe(first.labels);
    expect(changed.valid[0]!.annotations).toEqual({ s: 'y' });
    // a generatorURL other than the stored one's is checked
    const bad = decodePostableAlerts('[{"labels":{"alertname":"A","i":"1"},"generatorURL":"::x"}]', { ...opts, stored }) as BodyRefusal;
    expect([bad.status, bad.body.message]).toEqual([422, '0.generatorURL in body must be of type uri: "::x"']);
  });
});
