import { goEncode, goJsonFloat, goJsonString, goMarshal, sortedMap, toGoJsonText } from './json';

describe('goJsonString()', () => {
  test.each<[string, string]>([
    ['', '""'],
    ['plain é 🙂', '"plain é 🙂"'],
    ['<a&b>', '"\\u003ca\\u0026b\\u003e"'],
    ['\u2028\u2029', '"\\u2028\\u2029"'],
    ['"\\\n\r\t\b\f', '"\\"\\\\\\n\\r\\t\\b\\f"'],
    ['\u0000\u001f\u007f', '"\\u0000\\u001f\u007f"'],
    ['\ud800x\udc00', '"\\ufffdx\\ufffd"'],
    // a literal backslash followed by "ud800" is not an escape
    ['\\ud800', '"\\\\ud800"'],
    ['\\\ud800', '"\\\\\\ufffd"'],
  ])('encodes %j', (s, want) => {
    expect(goJsonString(s)).toBe(want);
  });
});

describe('goJsonString(s, false): SetEscapeHTML(false)', () => {
  test.each<[string, string]>([
    ['<a&b>', '"<a&b>"'],
    ['\u2028\u2029', '"\\u2028\\u2029"'],
    ['\ud800\\', '"\\ufffd\\\\"'],
    ['plain', '"plain"'],
  ])('encodes %j', (s, want) => {
    expect(goJsonString(s, false)).toBe(want);
  });
});

describe('goMarshal()', () => {
  test('keeps key order and escapes inside keys and values', () => {
    expect(goMarshal({ b: '<', a: ['&', 1, null], '>': true })).toBe('{"b":"\\u003c","a":["\\u0026",1,null],"\\u003e":true}');
  });

  test('toGoJsonText leaves JSON without Go differences unchanged', () => {
    const text = '{"a":"x\\\\y\\n","b":[1,2.5]}';
    expect(toGoJsonText(text)).toBe(text);
  });
});

describe('goEncode() and sortedMap()', () => {
  test('goEncode is goMarshal plus a newline (json.Encoder.Encode)', () => {
    expect(goEncode({ a: '<b>' })).toBe('{"a":"\\u003cb\\u003e"}\n');
  });

  test('sortedMap orders keys in byte order at every depth and keeps array order', () => {
    const v = sortedMap({ b: 1, a: { '\u{1F600}': 1, '\uFF61': 2, Z: 3 }, c: [{ y: 1, x: 2 }] });
    expect(JSON.stringify(v)).toBe('{"a":{"Z":3,"\uFF61":2,"\u{1F600}":1},"b":1,"c":[{"x":2,"y":1}]}');
  });

  test('sortedMap leaves scalars and null alone', () => {
    expect(sortedMap(null)).toBeNull();
    expect(sortedMap('x')).toBe('x');
  });
});

describe('goJsonFloat()', () => {
  test.each<[number, string]>([
    [0.5, '0.5'],
    [1e20, '100000000000000000000'],
    [1e21, '1e+21'],
    [0.000001, '0.000001'],
    [1e-7, '1e-7'],
    [-1.5e-9, '-1.5e-9'],
  ])('%p -> %s (encoding/json floatEncoder)', (f, want) => {
    expect(goJsonFloat(f)).toBe(want);
  });
});
