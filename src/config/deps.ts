/**
 * @module config/deps
 * The few functions the config loader takes from sibling modules (matchers, durations, time intervals),
 * behind one small adapter so the loader's code does not depend on their exact shapes.
 */
import { createMatcher, isValidClassicLabelName, isValidLabelName, type MatcherParseMode, parseMatchers, sortMatchers } from '../matchers';
import type { Matcher, MatchType } from '../matchers/types';
import { parseTemplates } from '../templates/parse';
import type { Logger } from '../types/logger';
import { formatDuration as formatPromDuration, formatGoDuration, parseDuration, parseGoDuration as goDuration } from '../types/duration';

/** Matcher parser mode (alertmanager --enable-feature): fallback (default), utf8 (utf8-strict-mode), classic. */
export type MatcherMode = MatcherParseMode;

export { sortMatchers };

/**
 * Parses one `matchers:` line (may hold several comma-separated matchers). Throws with the parser's message.
 * Fallback/disagreement warnings of the parser are appended to `warnings`.
 */
export function compileMatchers(input: string, mode: MatcherMode, warnings?: string[]): Matcher[] {
  const logger = {
    warn(obj: Record<string, unknown>, msg: string) {
      const sugg = typeof obj.suggestion === 'string' ? ` suggestion=${JSON.stringify(obj.suggestion)}` : '';
      warnings?.push(`${msg} input=${JSON.stringify(input)}${sugg}`);
    },
  } as unknown as Logger;
  return parseMatchers(input, { mode, logger, origin: 'config' });
}

/** One matcher from match/match_re maps; throws on a bad regex. */
export function makeMatcher(type: MatchType, name: string, value: string): Matcher {
  return createMatcher(type, name, value);
}

/** Label-name validity for group_by, equal, route labels (§7.4). */
export function validLabelName(name: string, mode: MatcherMode): boolean {
  return isValidLabelName(name, mode);
}

/** `match`/`match_re`/`source_match`/`target_match` keys are always classic (model.LabelNameRE). */
export function classicLabelName(name: string): boolean {
  return isValidClassicLabelName(name);
}

export function parsePromDuration(s: string): number {
  return parseDuration(s);
}

export function parseGoDuration(s: string): number {
  return goDuration(s);
}

export function formatDuration(ms: number, go: boolean): string {
  return go ? formatGoDuration(ms) : formatPromDuration(ms);
}

/** Go text/template's builtin functions: the only ones a bare `template.New("").Parse` knows. */
const GO_TEMPLATE_BUILTINS: ReadonlySet<string> = new Set([
  'and', 'call', 'html', 'index', 'slice', 'js', 'len', 'not', 'or', 'print', 'printf', 'println', 'urlquery',
  'eq', 'ge', 'gt', 'le', 'lt', 'ne',
]);

/**
 * Upstream amcommoncfg.ContainsTemplating's parse check (a template with no function map), e.g.
 * `template: :1: unclosed action`; undefined when the text parses.
 */
export function templateSyntaxError(text: string): string | undefined {
  try {
    parseTemplates({ name: '', text }, '', { hasFunction: (n) => GO_TEMPLATE_BUILTINS.has(n) });
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
