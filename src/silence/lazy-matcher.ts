/**
 * @module silence/lazy-matcher
 * A regex matcher of a silence loaded from SQLite, compiled on first use. Stored silences were validated
 * (and compiled) when they were created, so startup need not compile thousands of RE2 programs again before
 * it can serve; most are never evaluated before they expire, or are found through the literal-prefix index.
 */
import { createMatcher, matcherString } from '../matchers/matcher';
import type { Matcher, MatchType } from '../matchers/types';

export class LazyRegexMatcher implements Matcher {
  readonly type: MatchType;
  readonly name: string;
  readonly value: string;
  #compiled: Matcher | undefined;
  #failed = false;
  readonly #onError: (err: unknown) => void;
  readonly #valid: boolean;

  /**
   * `onError` is told once if the stored pattern no longer compiles; the matcher then matches nothing. `valid`:
   * the pattern is known to compile (then its string form needs no RE2 program either).
   */
  constructor(type: '=~' | '!~', name: string, value: string, onError: (err: unknown) => void, o: { valid?: boolean } = {}) {
    this.type = type;
    this.name = name;
    this.value = value;
    this.#onError = onError;
    this.#valid = o.valid ?? false;
  }

  /** True once the RE2 program has been built (tests, introspection). */
  get compiled(): boolean {
    return this.#compiled !== undefined;
  }

  #get(): Matcher | undefined {
    if (this.#compiled || this.#failed) return this.#compiled;
    try {
      this.#compiled = createMatcher(this.type, this.name, this.value);
    } catch (err) {
      this.#failed = true;
      this.#onError(err);
    }
    return this.#compiled;
  }

  matches(value: string): boolean {
    return this.#get()?.matches(value) ?? false;
  }

  toString(): string {
    if (this.#valid) return matcherString(this.type, this.name, this.value);
    return this.#get()?.toString() ?? `${this.name}${this.type}${JSON.stringify(this.value)}`;
  }
}

/** The matchers of a stored silence: equality ones at once, regex ones lazily. */
export function lazyMatcherSets(
  sets: readonly (readonly { type: MatchType; name: string; value: string }[])[],
  onError: (err: unknown) => void,
): Matcher[][] {
  return sets.map((set) => set.map((m) => (m.type === '=~' || m.type === '!~' ? new LazyRegexMatcher(m.type, m.name, m.value, onError) : createMatcher(m.type, m.name, m.value))));
}
