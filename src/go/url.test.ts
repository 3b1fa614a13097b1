import { goEncodeQuery, goQueryEscape } from './url';

describe('goQueryEscape() (url.QueryEscape)', () => {
  test.each<[string, string]>([
    ['', ''],
    ['AZaz09-_.~', 'AZaz09-_.~'],
    ["a b!'()*", 'a+b%21%27%28%29%2A'],
    ['é/?&=+%', '%C3%A9%2F%3F%26%3D%2B%25'],
    ['\u{1F600}', '%F0%9F%98%80'],
    // a lone surrogate is U+FFFD (EF BF BD)
    ['x\ud800y', 'x%EF%BF%BDy'],
  ])('%j -> %j', (s, want) => {
    expect(goQueryEscape(s)).toBe(want);
  });

  test('every byte outside the unreserved set is escaped, as Go', () => {
    for (let c = 0; c < 0x80; c++) {
      const ch = String.fromCharCode(c);
      const want = /[A-Za-z0-9\-_.~]/.test(ch) ? ch : ch === ' ' ? '+' : `%${c.toString(16).toUpperCase().padStart(2, '0')}`;
      expect(goQueryEscape(ch)).toBe(want);
    }
  });
});

describe('goEncodeQuery() (url.Values.Encode)', () => {
  test('keys in byte order, values of one key in their order', () => {
    expect(goEncodeQuery([['b', '1'], ['a', '2'], ['b', '0'], ['\uff61', 'x'], ['\u{1F600}', 'y'], ['c', '']])).toBe('a=2&b=1&b=0&c=&%EF%BD%A1=x&%F0%9F%98%80=y');
  });
});
