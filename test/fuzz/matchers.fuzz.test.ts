/**
 * Fuzz: the matcher parsers (API `filter`, silences, amtool arguments, config `matchers`) on arbitrary input throw only
 * ValidationError, answer within a time budget, and round-trip: parse(String(m)) is m.
 */
import fc from 'fast-check';
import { createMatcher, type MatcherParseMode, parseMatcher, parseMatchers } from '../../src/matchers';
import type { Matcher, MatchType } from '../../src/matchers/types';
import { ValidationError } from '../../src/types/errors';
import { expectOnly, fuzzParams } from './budget';

const MODES: MatcherParseMode[] = ['utf8', 'classic', 'fallback'];
/** per input; generous for a loaded 2-core machine, far below a hang */
const BUDGET_MS = 500;

/** text made of the characters matchers are written with, plus anything */
const matcherText = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.array(fc.constantFrom('{', '}', ',', '=', '!', '~', '"', "'", '\\', ' ', 'a', 'job', '_', '.', '*', '(', ')', '[', ']', '|', '+', '?', '\n', '😀', 'é', '0', '=~', '!~', '!='), { maxLength: 30 }).map((a) => a.join('')),
);

describe('matcher parsers (fuzz)', () => {
  test('parseMatchers / parseMatcher throw only ValidationError, within the budget, in every mode', () => {
    fc.assert(
      fc.property(matcherText, (s) => {
        for (const mode of MODES) {
          expectOnly(ValidationError, () => parseMatchers(s, { mode }), s, BUDGET_MS);
          expectOnly(ValidationError, () => parseMatcher(s, { mode }), s, BUDGET_MS);
        }
      }),
      fuzzParams(300),
    );
  });

  const regex = fc.constantFrom('', '.*', 'a|b', '[a-z]+', 'foo.*bar', '\\d{2,3}', '(?i)x', '[^"]*', 'a\\.b', '😀+');
  const plainName = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,10}$/);
  const anyName = fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' });
  const matcherArb = (name: fc.Arbitrary<string>) =>
    fc
      .tuple(name, fc.constantFrom<MatchType>('=', '!=', '=~', '!~'), fc.string({ maxLength: 20, unit: 'grapheme' }), regex)
      .map(([n, t, v, re]) => createMatcher(t, n, t === '=~' || t === '!~' ? re : v));
  const same = (m: Matcher) => ({ name: m.name, type: m.type, value: m.value });

  test('round trip: parseMatcher(String(m)) equals m (UTF-8 parser: any name and value; classic: classic names)', () => {
    fc.assert(
      fc.property(matcherArb(anyName), matcherArb(plainName), (u, c) => {
        expect(same(parseMatcher(String(u), { mode: 'utf8' }))).toEqual(same(u));
        expect(same(parseMatcher(String(c), { mode: 'classic' }))).toEqual(same(c));
        expect(same(parseMatcher(String(c), { mode: 'fallback' }))).toEqual(same(c));
        const list = parseMatchers(`{${String(u)},${String(c)}}`, { mode: 'utf8' });
        expect(list.map((m) => same(m))).toEqual([same(u), same(c)]);
      }),
      fuzzParams(300),
    );
  });
});
