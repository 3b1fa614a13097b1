import pino from 'pino';
import { Writable } from 'node:stream';
import { isValidLabelName, matcherModeFromFeatures, parseMatcher, parseMatchers } from './parse';
import { parseMatchersClassic } from './parse-classic';
import { parseMatcherUtf8, parseMatchersUtf8 } from './parse-utf8';
import type { Matcher } from './types';

type Triple = [string, string, string];
const triples = (ms: Matcher[]): Triple[] => ms.map((m) => [m.name, m.type, m.value]);

/** Result of parsing: the matchers as [name, op, value], or the error message. */
function run(fn: () => Matcher[]): Triple[] | { error: string } {
  try {
    return triples(fn());
  } catch (e) {
    return { error: (e as Error).message };
  }
}

// Reference §7.5, UTF-8 parser (matcher/parse/parse_test.go)
const UTF8_CASES: [number, string, Triple[] | { error: string }][] = [
  [1, '', []],
  [2, '{}', []],
  [3, '{foo=bar}', [['foo', '=', 'bar']]],
  [4, '{foo=bar,}', [['foo', '=', 'bar']]],
  [5, '{foo!=bar}', [['foo', '!=', 'bar']]],
  [6, '{foo=~[a-z]+}', [['foo', '=~', '[a-z]+']]],
  [7, '{foo!~[a-z]+}', [['foo', '!~', '[a-z]+']]],
  [8, '{foo=🙂}', [['foo', '=', '🙂']]],
  [9, '{foo=🙂bar}', [['foo', '=', '🙂bar']]],
  [10, 'foo=bar,', [['foo', '=', 'bar']]],
  [11, '{"foo"="bar"}', [['foo', '=', 'bar']]],
  [12, '"foo"="bar",', [['foo', '=', 'bar']]],
  [13, '{"foo"=~"\\\\d+"}', [['foo', '=~', '\\d+']]],
  [14, '{"foo"="\\xf0\\x9f\\x99\\x82"}', [['foo', '=', '🙂']]],
  [15, '{"foo"="\\U0001f642"}', [['foo', '=', '🙂']]],
  [16, '{"foo"="bar\\n"}', [['foo', '=', 'bar\n']]],
  [17, '{"foo"="bar\\t"}', [['foo', '=', 'bar\t']]],
  [18, '{"foo"="\\"bar\\""}', [['foo', '=', '"bar"']]],
  [19, '{"foo"="bar\\\\"}', [['foo', '=', 'bar\\']]],
  [20, '{foo=bar,bar!=baz}', [['foo', '=', 'bar'], ['bar', '!=', 'baz']]],
  [21, 'foo="bar",bar!="baz"', [['foo', '=', 'bar'], ['bar', '!=', 'baz']]],
  [22, ',', { error: '0:1: unexpected ,: expected label name' }],
  [23, '{,}', { error: '1:2: unexpected ,: expected label name' }],
  [24, '{', { error: '0:1: end of input: expected close brace' }],
  [25, '}', { error: '0:1: }: expected opening brace' }],
  [26, 'foo=bar}', { error: '0:8: }: expected opening brace' }],
  [27, '{foo=bar', { error: '0:8: end of input: expected close brace' }],
  [28, '{foo=:"bar"}', { error: '6:11: unexpected "bar": expected a comma or close brace' }],
  [29, '{foo="bar\\w"}', { error: '5:12: "bar\\w": invalid input' }],
  [30, '{"foo"=~"\\d+"}', { error: '8:13: "\\d+": invalid input' }],
  [31, '{foo=bar\\n}', { error: '8:9: \\: invalid input: expected a comma or close brace' }],
  [32, '{"foo"="\\xf0\\x9f"}', { error: '7:17: "\\xf0\\x9f": invalid input' }],
  // extra cases from the same grammar
  [100, '{foo=bar}}', { error: '9:10: }: expected end of input' }],
  [101, 'foo!bar', { error: "3:4: !: expected one of '=~': expected an operator such as '=', '!=', '=~' or '!~'" }],
  [102, 'foo=', { error: 'end of input: expected label value' }],
  [103, '{foo="bar}', { error: '5:10: "bar}: missing end ": expected label value' }],
  [104, '{foo=~"("}', { error: 'failed to create matcher: error parsing regexp: missing closing ): `^(?:()$`' }],
  [105, '  { foo = "bar" , baz !~ "q.*" }  ', [['foo', '=', 'bar'], ['baz', '!~', 'q.*']]],
  [106, '{foo🙂=bar}', [['foo🙂', '=', 'bar']]],
  [107, '{"foo bar"="\\101\\x42\\u0043"}', [['foo bar', '=', 'ABC']]],
  [108, '{invalid-name = "valid label"}', [['invalid-name', '=', 'valid label']]],
  [109, '{foo=bar baz}', { error: '9:12: unexpected baz: expected a comma or close brace' }],
];

describe('parseMatchersUtf8()', () => {
  test.each(UTF8_CASES)('#%d %j', (_n, input, want) => {
    expect(run(() => parseMatchersUtf8(input))).toEqual(want);
  });

  test('single-matcher function (#33-#35)', () => {
    expect(run(() => [parseMatcherUtf8('')])).toEqual({ error: 'no matchers' });
    expect(run(() => [parseMatcherUtf8('{}')])).toEqual({ error: 'no matchers' });
    expect(run(() => [parseMatcherUtf8('foo=bar,bar=baz')])).toEqual({ error: 'expected 1 matcher, found 2' });
    expect(run(() => [parseMatcherUtf8('foo="\\xf0\\x9f"')])).toEqual({ error: '4:14: "\\xf0\\x9f": invalid input' });
  });
});

// Reference §7.5, classic parser (pkg/labels/parse_test.go)
const CLASSIC_CASES: [number, string, Triple[] | { error: string }][] = [
  [36, '{}', []],
  [37, ',', { error: 'bad matcher format: ' }],
  [37, '{,}', { error: 'bad matcher format: ' }],
  [38, "{foo='}", [['foo', '=', "'"]]],
  [39, '{foo=`}', [['foo', '=', '`']]],
  [40, '{foo=\\"}', [['foo', '=', '"']]],
  [41, '{foo=bar}', [['foo', '=', 'bar']]],
  [41, '{foo="bar"}', [['foo', '=', 'bar']]],
  [42, '{foo=~bar.*}', [['foo', '=~', 'bar.*']]],
  [42, '{foo=~"bar.*"}', [['foo', '=~', 'bar.*']]],
  [43, '{foo="bar", baz!~".*quux.*", derp="wat"}', [['foo', '=', 'bar'], ['baz', '!~', '.*quux.*'], ['derp', '=', 'wat']]],
  [44, '{foo=""}', [['foo', '=', '']]],
  [45, '{foo="bar,quux", job="job1"}', [['foo', '=', 'bar,quux'], ['job', '=', 'job1']]],
  [46, '{foo = "bar", dings != "bums", }', [['foo', '=', 'bar'], ['dings', '!=', 'bums']]],
  [47, '{quote="She said: \\"Hi, ladies! That\'s gender-neutral…\\""}', [['quote', '=', 'She said: "Hi, ladies! That\'s gender-neutral…"']]],
  [48, 'statuscode=~"5.."', [['statuscode', '=~', '5..']]],
  [49, 'tricky=~~~', [['tricky', '=~', '~~']]],
  [50, 'trickier==\\\\=\\=\\"', [['trickier', '=', '=\\=\\="']]],
  [51, 'contains_quote != "\\"" , contains_comma !~ "foo,bar" , ', [['contains_quote', '!=', '"'], ['contains_comma', '!~', 'foo,bar']]],
  [52, '{foo=bar}}', [['foo', '=', 'bar}']]],
  [53, '{foo=bar}},}', [['foo', '=', 'bar}}']]],
  [54, '{foo=,bar=}}', [['foo', '=', ''], ['bar', '=', '}']]],
  [55, '{foo=bar\\t}', [['foo', '=', 'bar\\t']]],
  [56, '{foo=bar\\n}', [['foo', '=', 'bar\n']]],
  [57, '{foo=bar\\}', [['foo', '=', 'bar\\']]],
  [57, '{foo=bar\\\\}', [['foo', '=', 'bar\\']]],
  [58, '{foo=bar\\"}', [['foo', '=', 'bar"']]],
  [59, 'job=', [['job', '=', '']]],
  [59, '{foo=', [['foo', '=', '']]],
  [60, '{foo=}b', [['foo', '=', '}b']]],
  [61, 'job="value', { error: 'matcher value contains unescaped double quote: "value' }],
  [62, 'job=value"', { error: 'matcher value contains unescaped double quote: value"' }],
  [63, 'trickier==\\\\=\\=\\""', { error: 'matcher value contains unescaped double quote: =\\\\=\\=\\""' }],
  [64, 'contains_unescaped_quote = foo"bar', { error: 'matcher value contains unescaped double quote: foo"bar' }],
  [65, '{invalid-name = "valid label"}', { error: 'bad matcher format: invalid-name = "valid label"' }],
  [66, '{foo=~"invalid[regexp"}', { error: 'error parsing regexp: missing closing ]: `[regexp)$`' }],
  [67, '"{foo=\\"bar"}', { error: 'bad matcher format: "{foo=\\"bar"' }],
  [68, '"foo="bar""', { error: 'bad matcher format: "foo="bar""' }],
  [69, '{{foo=', { error: 'bad matcher format: {foo=' }],
];

describe('parseMatchersClassic()', () => {
  test.each(CLASSIC_CASES)('#%d %j', (_n, input, want) => {
    expect(run(() => parseMatchersClassic(input))).toEqual(want);
  });
});

function captureLogger(): { logger: pino.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(JSON.parse(String(chunk)));
      cb();
    },
  });
  return { logger: pino({ level: 'warn' }, stream), lines };
}

// Reference §7.5, fallback mode (matcher/compat/parse_test.go)
const FALLBACK_CASES: [number, string, Triple[] | { error: string }][] = [
  [70, 'foo=bar', [['foo', '=', 'bar']]],
  [71, 'foo!bar', { error: 'bad matcher format: foo!bar' }],
  [72, 'foo🙂=bar', [['foo🙂', '=', 'bar']]],
  [73, 'foo=!bar\\n', [['foo', '=', '!bar\n']]],
  [74, 'foo="\\xf0\\x9f\\x99\\x82"', [['foo', '=', '\\xf0\\x9f\\x99\\x82']]],
  [75, '{foo🙂=bar,bar=baz🙂}', [['foo🙂', '=', 'bar'], ['bar', '=', 'baz🙂']]],
  [76, '{foo=!bar,bar=$baz\\n}', [['foo', '=', '!bar'], ['bar', '=', '$baz\n']]],
  [77, '{foo!bar}', { error: 'bad matcher format: foo!bar' }],
];

describe('parseMatchers() fallback mode (default)', () => {
  test.each(FALLBACK_CASES)('#%d %j', (_n, input, want) => {
    expect(run(() => parseMatchers(input))).toEqual(want);
  });

  test('warns when only the classic parser accepts the input, with a suggestion', () => {
    const { logger, lines } = captureLogger();
    expect(triples(parseMatchers('foo=!bar\\n', { logger, origin: 'api' }))).toEqual([['foo', '=', '!bar\n']]);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.msg).toMatch(/^Alertmanager is moving to a new parser/);
    expect(lines[0]!.suggestion).toBe('foo="!bar\\n"');
    expect(lines[0]!.origin).toBe('api');
  });

  test('warns on disagreement and returns the classic result', () => {
    const { logger, lines } = captureLogger();
    expect(triples(parseMatchers('foo="\\xf0\\x9f\\x99\\x82"', { logger }))).toEqual([['foo', '=', '\\xf0\\x9f\\x99\\x82']]);
    expect(lines.map((l) => l.msg)).toEqual(['Matchers input has disagreement']);
  });

  test('an input without matchers is a disagreement, as upstream (nil vs empty list)', () => {
    const { logger, lines } = captureLogger();
    expect(parseMatchers('{}', { logger })).toEqual([]);
    expect(lines.map((l) => l.msg)).toEqual(['Matchers input has disagreement']);
  });

  test('no warning when both parsers agree', () => {
    const { logger, lines } = captureLogger();
    parseMatchers('{foo="bar", baz=~"q.*"}', { logger });
    expect(lines).toHaveLength(0);
  });

  test('strict and classic modes use one parser', () => {
    expect(run(() => parseMatchers('foo=!bar\\n', { mode: 'utf8' }))).toEqual({ error: '4:5: !: expected one of \'=~\': expected label value' });
    expect(run(() => parseMatchers('foo🙂=bar', { mode: 'classic' }))).toEqual({ error: 'bad matcher format: foo🙂=bar' });
  });
});

describe('parseMatcher()', () => {
  test.each(['fallback', 'utf8'] as const)('rejects braces in %s mode (#78)', (mode) => {
    expect(() => parseMatcher('{foo=bar}', { mode })).toThrow('unexpected open or close brace: {foo=bar}');
    expect(() => parseMatcher('foo=bar}', { mode })).toThrow('unexpected open or close brace: foo=bar}');
  });

  test('classic mode parses one matcher without brace stripping', () => {
    expect(parseMatcher('foo=~"b.*"', { mode: 'classic' }).toString()).toBe('foo=~"b.*"');
    expect(() => parseMatcher('{foo=bar}', { mode: 'classic' })).toThrow('bad matcher format: {foo=bar}');
  });

  test('requires exactly one matcher', () => {
    expect(() => parseMatcher('', { mode: 'utf8' })).toThrow('no matchers');
    expect(() => parseMatcher('a=b,c=d', { mode: 'utf8' })).toThrow('expected 1 matcher, found 2');
    expect(parseMatcher('foo🙂="bar"').name).toBe('foo🙂');
    expect(() => parseMatcher('foo!bar')).toThrow('bad matcher format: foo!bar');
  });
});

describe('isValidLabelName()', () => {
  test('classic mode', () => {
    for (const ok of ['foo', '_x', 'A1_b']) expect(isValidLabelName(ok, 'classic')).toBe(true);
    for (const bad of ['', '0foo', 'foo🙂', 'a-b', 'a:b']) expect(isValidLabelName(bad, 'classic')).toBe(false);
  });
  test('utf8 and fallback modes', () => {
    for (const ok of ['foo', '0foo', 'foo🙂', 'a b']) expect(isValidLabelName(ok, 'utf8')).toBe(true);
    expect(isValidLabelName('')).toBe(false);
    expect(isValidLabelName('\ud800')).toBe(false);
  });
});

describe('matcherModeFromFeatures()', () => {
  test('classic-mode and utf8-strict-mode select their parser; anything else is fallback', () => {
    expect(matcherModeFromFeatures([])).toBe('fallback');
    expect(matcherModeFromFeatures(['receiver-name-in-metrics'])).toBe('fallback');
    expect(matcherModeFromFeatures(['auto-gomaxprocs', 'classic-mode'])).toBe('classic');
    expect(matcherModeFromFeatures(['utf8-strict-mode'])).toBe('utf8');
  });
});
