import { compareStrings, goQuote, labelSetString, sortedLabelNames } from './labels';

describe('goQuote()', () => {
  test.each<[string, string]>([
    ['', '""'],
    ['abc', '"abc"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['back\\slash', '"back\\\\slash"'],
    ['new\nline', '"new\\nline"'],
    ['tab\tstop', '"tab\\tstop"'],
    ['\r\u0007\b\f\v', '"\\r\\a\\b\\f\\v"'],
    ['\u0000\u0001\u007f', '"\\x00\\x01\\x7f"'],
    ['héllo 🙂 日本', '"héllo 🙂 日本"'],
    ['\u00a0', '"\\u00a0"'],
    ['\u00ad', '"\\u00ad"'],
    ['\u200b', '"\\u200b"'],
    ['\u2028', '"\\u2028"'],
    ['\ufeff', '"\\ufeff"'],
    ['\u{e0001}', '"\\U000e0001"'],
    ["it's", '"it\'s"'],
  ])('quotes %j', (s, q) => {
    expect(goQuote(s)).toBe(q);
  });
});

describe('labelSetString()', () => {
  test('formats entries by label name with Go-quoted values', () => {
    expect(labelSetString({ job: 'x', alertname: 'A' })).toBe('{alertname="A", job="x"}');
    expect(labelSetString({})).toBe('{}');
    expect(labelSetString({ a: 'say "hi"\n' })).toBe('{a="say \\"hi\\"\\n"}');
  });

  test('orders by name, not by the whole entry (master behaviour)', () => {
    // "a0" > "a" by name; comparing `a0="…"` with `a="…"` would put a0 first since '0' < '='.
    expect(labelSetString({ a0: '1', a: '2' })).toBe('{a="2", a0="1"}');
  });
});

describe('compareStrings()', () => {
  test('orders by UTF-8 bytes', () => {
    expect(sortedLabelNames({ '𝄞': '', '\ue000': '', b: '', a: '', B: '' })).toEqual(['B', 'a', 'b', '\ue000', '𝄞']);
    expect(compareStrings('a', 'ab')).toBeLessThan(0);
    expect(compareStrings('ab', 'ab')).toBe(0);
    expect(compareStrings('b', 'a')).toBeGreaterThan(0);
  });
});
