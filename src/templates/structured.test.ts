import { deepCopyWithTemplate } from './structured';

describe('deepCopyWithTemplate() decodes a rendered leaf as go-yaml v2 (YAML 1.1) does', () => {
  test.each<[string, unknown]>([
    // booleans of YAML 1.1 (YAML 1.2 keeps all but true/false as text)
    ['yes', true],
    ['Yes', true],
    ['on', true],
    ['ON', true],
    ['y', true],
    ['no', false],
    ['off', false],
    ['N', false],
    ['true', true],
    ['False', false],
    // null: ~, null, the empty text, a comment only
    ['~', null],
    ['null', null],
    ['', null],
    ['# nothing', null],
    // numbers: Go's ParseInt base prefixes, YAML 1.1 octal, underscores, floats
    ['42', 42],
    ['-7', -7],
    ['+12', 12],
    ['0777', 511],
    ['0o17', 15],
    ['0x1F', 31],
    ['0X1F', 31],
    ['0b101', 5],
    ['1_000', 1000],
    ['08', 8],
    ['1.5', 1.5],
    ['1e3', 1000],
    ['.5', 0.5],
    // text go-yaml v2 keeps: timestamps, sexagesimal, quoted, plain words, syntax errors, explicit binary
    ['2024-01-01', '2024-01-01'],
    ['1:30', '1:30'],
    ['"yes"', '"yes"'],
    ["'42'", "'42'"],
    ['hello world', 'hello world'],
    ['foo: [bar', 'foo: [bar'],
    ['!!binary aGVsbG8=', '!!binary aGVsbG8='],
    ['&a [*a]', '&a [*a]'],
    // structures: parsed values are final (not re-templated); non-string keys dropped; last duplicate wins
    ['[1, yes, "on"]', [1, true, 'on']],
    ['a: {b: no}', { a: { b: false } }],
    ['1: a\nb: 2\nyes: 3', { b: 2 }],
    ['a: 1\na: 2', { a: 2 }],
    ['value1:', { value1: null }],
    // only the first document counts
    ['1\n---\nb: [', 1],
  ])('%j -> %j', (rendered, want) => {
    expect(deepCopyWithTemplate('{{ x }}', () => rendered)).toEqual(want);
  });

  test('renders string keys and leaves, copies other leaves, drops non-string keys of a Map', () => {
    const render = (t: string) => t.replace('{{ r }}', 'R');
    const value = new Map<unknown, unknown>([
      ['k-{{ r }}', ['{{ r }}', 3, true, null]],
      [1, 'dropped'],
    ]);
    expect(deepCopyWithTemplate(value, render)).toEqual({ 'k-R': ['R', 3, true, null] });
    expect(deepCopyWithTemplate({ n: 2, b: false, s: 'x-{{ r }}' }, render)).toEqual({ n: 2, b: false, s: 'x-R' });
  });

  test('a key named __proto__ is an own key, not the prototype', () => {
    const out = deepCopyWithTemplate({ '{{ k }}': '__proto__: {polluted: yes}' }, () => '__proto__: {polluted: yes}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__: {polluted: yes}']);
    const inner = out['__proto__: {polluted: yes}'] as Record<string, unknown>;
    expect(Object.keys(inner)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
