import { compileRe2 } from '../types/re2';
import { createMatcher } from '../matchers/matcher';
import { LazyRegexMatcher } from './lazy-matcher';
import { isSimpleRegex, simpleRegexMatchesEmpty, validateSilence } from './validate';

/** Every pattern of up to `n` tokens over a small alphabet that covers the simple form and its edges. */
function patterns(n: number): string[] {
  const tokens = ['a', 'Z', '9', '_', '-', '.', '.*', '.+', '|', '*', '+', '(', ')', '?', '\\', '[', '^', '$', '{'];
  let level = [''];
  const out = [''];
  for (let i = 0; i < n; i++) {
    level = level.flatMap((p) => tokens.map((t) => p + t));
    out.push(...level);
  }
  return out;
}

function full(re: string): { valid: boolean; matchesEmpty?: boolean } {
  try {
    compileRe2(re);
    return { valid: true, matchesEmpty: createMatcher('=~', 'x', re).matches('') };
  } catch {
    return { valid: false };
  }
}

describe('simple regexes (no RE2 compile while validating)', () => {
  test('every simple pattern is valid RE2, and whether it matches "" is what the compiled matcher says', () => {
    let simple = 0;
    for (const re of patterns(3)) {
      if (!isSimpleRegex(re)) continue;
      simple++;
      expect([re, full(re)]).toEqual([re, { valid: true, matchesEmpty: simpleRegexMatchesEmpty(re) }]);
    }
    expect(simple).toBeGreaterThan(300);
  });

  test('anything with other syntax is not simple (it is compiled as before)', () => {
    for (const re of ['a(b)', 'a*', 'a+', '.**', '.*+', '[a]', 'a?', '\\.', '^a', 'a$', 'a{2}', 'a b', 'é', 'a.b.*|(', '.*?']) {
      expect([re, isSimpleRegex(re)]).toEqual([re, false]);
    }
  });

  test('a silence with simple regexes gets lazy matchers that match as compiled ones; others are compiled at once', () => {
    const r = validateSilence(
      {
        matcherSets: [
          [
            { type: '=~', name: 'instance', value: 'host-1|nohost-1' },
            { type: '!~', name: 'job', value: 'job-.*' },
            { type: '=~', name: 'pod', value: 'p(od)?' },
          ],
        ],
        startsAt: 1,
        endsAt: 2,
        createdBy: 'me',
        comment: 'c',
      },
      'fallback',
    );
    if (!('matcherSets' in r)) throw new Error(r.error);
    const [inst, job, pod] = r.matcherSets[0]!;
    expect([inst instanceof LazyRegexMatcher && !inst.compiled, job instanceof LazyRegexMatcher, pod instanceof LazyRegexMatcher]).toEqual([true, true, false]);
    // its string form (history, logs) needs no RE2 program either
    expect([inst!.toString(), job!.toString()]).toEqual(['instance=~"host-1|nohost-1"', 'job!~"job-.*"']);
    expect((inst as LazyRegexMatcher).compiled).toBe(false);
    for (const v of ['host-1', 'nohost-1', 'host-10', '', 'job-1', 'jo']) {
      expect([v, inst!.matches(v), job!.matches(v)]).toEqual([v, createMatcher('=~', 'instance', 'host-1|nohost-1').matches(v), createMatcher('!~', 'job', 'job-.*').matches(v)]);
    }
  });

  test('a set whose simple regexes all match "" is refused, as upstream does', () => {
    const r = validateSilence(
      { matcherSets: [[{ type: '=~', name: 'a', value: 'x|.*' }]], startsAt: 1, endsAt: 2, createdBy: 'me', comment: 'c' },
      'fallback',
    );
    expect(r).toEqual({ error: 'matcher set 0: at least one matcher must not match the empty string' });
  });
});
