import {
  compareMatchers,
  compileAnchored,
  createMatcher,
  matcherFromApi,
  matchersToString,
  matcherToApi,
  matchesLabels,
  sortMatchers,
} from './matcher';
import { ValidationError } from '../types/errors';
import type { MatchType } from './types';

describe('Matcher.toString()', () => {
  test.each<[string, MatchType, string, string]>([
    ['foo', '=', 'bar', 'foo="bar"'],
    ['foo', '!=', 'bar', 'foo!="bar"'],
    ['foo', '=~', 'bar', 'foo=~"bar"'],
    ['foo', '!~', 'bar', 'foo!~"bar"'],
    ['foo', '=', 'back\\slash', 'foo="back\\\\slash"'],
    ['foo', '=', 'double"quote', 'foo="double\\"quote"'],
    ['foo', '=', 'new\nline', 'foo="new\\nline"'],
    ['foo', '=', 'tab\tstop', 'foo="tab\tstop"'],
    ['foo', '=', '🙂', 'foo="🙂"'],
    ['foo!', '!=', 'bar', '"foo!"!="bar"'],
    ['foo🙂', '=', 'bar', 'foo🙂="bar"'],
    ['foo bar', '=', 'baz', '"foo bar"="baz"'],
    ['foo bar', '=', 'tab\tstop', '"foo bar"="tab\\tstop"'],
  ])('%s %s %j', (name, type, value, want) => {
    expect(createMatcher(type, name, value).toString()).toBe(want);
  });

  test('list form has no spaces', () => {
    expect(matchersToString([createMatcher('=', 'a', 'b'), createMatcher('=~', 'c', 'd.*')])).toBe('{a="b",c=~"d.*"}');
    expect(matchersToString([])).toBe('{}');
  });
});

describe('Matcher.matches()', () => {
  test.each<[MatchType, string, string, boolean]>([
    ['=~', 'bar', 'foo-bar', false],
    ['=~', '.*bar', 'foo-bar', true],
    ['!~', '.*bar', 'foo-bar', false],
    ['=~', 'foo.bar', 'foo-bar', true],
    ['=~', 'foo.bar', 'foo\nbar', false],
    ['=~', '(?s)foo.bar', 'foo\nbar', true],
    ['=~', 'foo\\.bar', 'foo-bar', false],
    ['=', '~!="', '~!="', true],
    ['=~', 'a|b', 'a', true],
    ['=~', 'a|b', 'ab', false], // alternation is inside the anchors: ^(?:a|b)$
    ['=~', 'foo', 'foo\n', false], // $ is end of text, not end of line
    ['=~', '', '', true],
    ['=~', '', 'x', false],
    ['!=', 'x', '', true],
    ['=', '', '', true],
    ['=~', '\\d+', '١٢', false], // RE2 \d is ASCII
    ['=~', '(?i)FOO', 'foo', true],
  ])('%s %j on %j -> %s', (type, value, input, want) => {
    expect(createMatcher(type, 'l', value).matches(input)).toBe(want);
  });

  test('invalid regex throws Go-style errors', () => {
    expect(() => createMatcher('=~', 'a', '(')).toThrow('error parsing regexp: missing closing ): `^(?:()$`');
    expect(() => createMatcher('!~', 'a', 'a(?=b)')).toThrow(/error parsing regexp: invalid or unsupported Perl syntax/);
    expect(() => createMatcher('=~', 'a', '\\1')).toThrow(/error parsing regexp: invalid escape sequence/);
  });

  // A safety check, not a speed claim: RE2 answers both in a few ms even on the loaded 2-core machine
  // (>300x headroom); a backtracking engine would need ~2^50000 steps and never return.
  test('pathological regex (a+)+b runs in linear time', () => {
    const m = createMatcher('=~', 'l', '(a+)+b');
    const t0 = performance.now();
    expect(m.matches('a'.repeat(50_000))).toBe(false);
    expect(m.matches(`${'a'.repeat(50_000)}b`)).toBe(true);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('matchesLabels()', () => {
  const ms = [createMatcher('=', 'job', 'api'), createMatcher('!~', 'env', 'dev|test')];
  test('ANDs the matchers; a missing label is the empty string', () => {
    expect(matchesLabels(ms, { job: 'api', env: 'prod' })).toBe(true);
    expect(matchesLabels(ms, { job: 'api' })).toBe(true);
    expect(matchesLabels(ms, { job: 'api', env: 'dev' })).toBe(false);
    expect(matchesLabels(ms, { job: 'web' })).toBe(false);
    expect(matchesLabels([], {})).toBe(true);
  });
  test('prototype properties are not labels', () => {
    expect(matchesLabels([createMatcher('=', 'toString', '')], {})).toBe(true);
    expect(matchesLabels([createMatcher('=', 'constructor', '')], { a: 'b' })).toBe(true);
  });
});

describe('openapi form', () => {
  test.each<[boolean, boolean | undefined, MatchType]>([
    [false, true, '='],
    [false, false, '!='],
    [true, true, '=~'],
    [true, false, '!~'],
    [false, undefined, '='],
    [true, undefined, '=~'],
  ])('isRegex=%s isEqual=%s -> %s', (isRegex, isEqual, type) => {
    const m = matcherFromApi({ name: 'a', value: 'b', isRegex, isEqual });
    expect(m.type).toBe(type);
    expect(matcherToApi(m)).toEqual({ name: 'a', value: 'b', isRegex, isEqual: isEqual ?? true });
  });
  test('JSON key order as upstream', () => {
    expect(JSON.stringify(createMatcher('!~', 'a', 'b'))).toBe('{"isEqual":false,"isRegex":true,"name":"a","value":"b"}');
  });
});

describe('sortMatchers()', () => {
  test('orders by name, value, then operator', () => {
    const sorted = sortMatchers([
      createMatcher('!~', 'b', 'x'),
      createMatcher('=~', 'b', 'x'),
      createMatcher('!=', 'b', 'x'),
      createMatcher('=', 'b', 'x'),
      createMatcher('=', 'a', 'z'),
      createMatcher('=', 'b', 'a'),
    ]);
    expect(sorted.map(String)).toEqual(['a="z"', 'b="a"', 'b="x"', 'b!="x"', 'b=~"x"', 'b!~"x"']);
    expect(compareMatchers(createMatcher('=', 'a', 'b'), createMatcher('=', 'a', 'b'))).toBe(0);
  });
});

describe('compileAnchored cache', () => {
  test('the same pattern is compiled once and shared; errors are not cached', () => {
    const a = compileAnchored('job-.*');
    expect(compileAnchored('job-.*')).toBe(a);
    expect(createMatcher('=~', 'job', 'job-.*').matches('job-1')).toBe(true);
    expect(createMatcher('!~', 'x', 'job-.*').matches('job-1')).toBe(false);
    expect(() => compileAnchored('[a')).toThrow(ValidationError);
    expect(() => compileAnchored('[a')).toThrow(ValidationError);
  });

  test('bounded: after many other patterns the first is compiled anew', () => {
    const first = compileAnchored('first-pattern');
    for (let i = 0; i < 1100; i++) compileAnchored(`p-${i}`);
    const again = compileAnchored('first-pattern');
    expect(again).not.toBe(first);
    expect(again.matches('first-pattern')).toBe(true);
  });
});
