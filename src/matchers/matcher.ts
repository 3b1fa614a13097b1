/**
 * Label matchers (upstream pkg/labels/matcher.go): construction, matching, string form, ordering and the
 * openapi `{name, value, isRegex, isEqual}` form.
 */
import type { RE2JS } from 're2js';
import { compileRe2 } from '../types/re2';
import type { LabelSet } from '../types/alert';
import { ValidationError } from '../types/errors';
import { compareStrings, goQuote } from '../types/labels';
import type { Matcher, MatchType } from './types';

/** Whitespace as Go's unicode.IsSpace. */
export const GO_SPACE_CLASS = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const RESERVED_RE = new RegExp(`[${GO_SPACE_CLASS}{}!=~,\\\\"'\`]`);

/** Runes that cannot appear in an unquoted name or value (matcher/parse/lexer.go isReserved). */
export function isReservedChar(ch: string): boolean {
  return RESERVED_RE.test(ch);
}

/** OpenMetrics escaping used by Matcher.String(): only `\`, newline and `"`. */
function openMetricsEscape(s: string): string {
  return s.replace(/[\\\n"]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** Matcher.String() (pkg/labels/matcher.go): names with reserved runes come from the UTF-8 parser and are fully quoted. */
export function matcherString(type: MatchType, name: string, value: string): string {
  if (RESERVED_RE.test(name)) return `${goQuote(name)}${type}${goQuote(value)}`;
  return `${name}${type}"${openMetricsEscape(value)}"`;
}

class LabelMatcher implements Matcher {
  readonly name: string;
  readonly type: MatchType;
  readonly value: string;
  readonly #re: RE2JS | undefined;

  constructor(type: MatchType, name: string, value: string, re: RE2JS | undefined) {
    this.type = type;
    this.name = name;
    this.value = value;
    this.#re = re;
  }

  matches(value: string): boolean {
    switch (this.type) {
      case '=':
        return value === this.value;
      case '!=':
        return value !== this.value;
      case '=~':
        return this.#re!.matches(value);
      case '!~':
        return !this.#re!.matches(value);
    }
  }

  toString(): string {
    return matcherString(this.type, this.name, this.value);
  }

  toJSON(): ApiMatcher {
    return matcherToApi(this);
  }
}

const MATCH_TYPES: ReadonlySet<string> = new Set(['=', '!=', '=~', '!~']);

/**
 * Recently compiled patterns: a compiled RE2JS keeps no state between matches, so matchers with the same regex
 * (e.g. `job=~"job-.*"` in many silences, or the same route matcher after a reload) share one. Bounded: the
 * oldest entry goes first.
 */
const COMPILED_CACHE_MAX = 1024;
const compiled = new Map<string, RE2JS>();

/** Compiles `re` fully anchored as `^(?:re)$` with RE2 semantics; throws Go's `error parsing regexp: ...`. */
export function compileAnchored(re: string): RE2JS {
  const hit = compiled.get(re);
  if (hit) return hit;
  let out: RE2JS;
  try {
    out = compileRe2(`^(?:${re})$`);
  } catch (e) {
    throw new ValidationError(e instanceof Error ? e.message : String(e));
  }
  if (compiled.size >= COMPILED_CACHE_MAX) compiled.delete(compiled.keys().next().value as string);
  compiled.set(re, out);
  return out;
}

/**
 * Builds a matcher. Regex values are anchored (`^(?:v)$`) and compiled with re2js; an invalid regex throws a
 * ValidationError whose message is Go's, e.g. ``error parsing regexp: missing closing ]: `[a)$` ``.
 */
export function createMatcher(type: MatchType, name: string, value: string): Matcher {
  if (!MATCH_TYPES.has(type)) throw new ValidationError(`unknown match type ${JSON.stringify(type)}`);
  const re = type === '=~' || type === '!~' ? compileAnchored(value) : undefined;
  return new LabelMatcher(type, name, value, re);
}

/** The label's value as matchers see it: a missing label is the empty string. */
export function labelValue(labels: LabelSet, name: string): string {
  const v = labels[name];
  return typeof v === 'string' && Object.hasOwn(labels, name) ? v : '';
}

/** True if every matcher matches (missing labels are ""). An empty list matches everything. */
export function matchesLabels(matchers: readonly Matcher[], labels: LabelSet): boolean {
  for (const m of matchers) {
    if (!m.matches(labelValue(labels, m.name))) return false;
  }
  return true;
}

/** Matchers list string form (pkg/labels Matchers.String): `{a="b",c=~"d"}`. */
export function matchersToString(matchers: readonly Matcher[]): string {
  return `{${matchers.map((m) => m.toString()).join(',')}}`;
}

const TYPE_ORDER: Readonly<Record<MatchType, number>> = { '=': 0, '!=': 1, '=~': 2, '!~': 3 };

/** Upstream Matchers.Less: by name, then value, then operator (= < != < =~ < !~). */
export function compareMatchers(a: Matcher, b: Matcher): number {
  return compareStrings(a.name, b.name) || compareStrings(a.value, b.value) || TYPE_ORDER[a.type] - TYPE_ORDER[b.type];
}

/** A sorted copy. */
export function sortMatchers(matchers: readonly Matcher[]): Matcher[] {
  return [...matchers].sort(compareMatchers);
}

/** Same type, name and value. */
export function matcherEquals(a: Matcher, b: Matcher): boolean {
  return a.type === b.type && a.name === b.name && a.value === b.value;
}

// ---------------------------------------------------------------------------------------------------------------
// openapi form

/** The API's matcher model (api/v2/openapi.yaml `matcher`). */
export interface ApiMatcher {
  isEqual: boolean;
  isRegex: boolean;
  name: string;
  value: string;
}

/** isEqual/isRegex to operator; isEqual defaults to true as in the openapi spec. */
export function matchTypeFromApi(isRegex: boolean, isEqual: boolean | undefined): MatchType {
  const eq = isEqual ?? true;
  if (isRegex) return eq ? '=~' : '!~';
  return eq ? '=' : '!=';
}

export function matcherFromApi(m: { name: string; value: string; isRegex: boolean; isEqual?: boolean | undefined }): Matcher {
  return createMatcher(matchTypeFromApi(m.isRegex, m.isEqual), m.name, m.value);
}

export function matcherToApi(m: Matcher): ApiMatcher {
  // Key order as upstream serialises it (observed on 0.25).
  return {
    isEqual: m.type === '=' || m.type === '=~',
    isRegex: m.type === '=~' || m.type === '!~',
    name: m.name,
    value: m.value,
  };
}
