/**
 * @module schema/deps
 * The few adapters the config loader needs around sibling modules: matcher lines with their parser warnings,
 * duration formatting in Prometheus or Go syntax, and the template syntax check.
 */
import { type MatcherParseMode, parseMatchers } from '../matchers';
import type { Matcher } from '../matchers/types';
import { parseTemplates } from '../templates/parse';
import type { Logger } from '../types/logger';
import { formatGoDuration } from '../go/duration';
import { formatDuration as formatPromDuration } from '../types/duration';

/**
 * Parses one `matchers:` line (may hold several comma-separated matchers). Throws with the parser's message.
 * Fallback/disagreement warnings of the parser are appended to `warnings`.
 */
export function compileMatchers(input: string, mode: MatcherParseMode, warnings?: string[]): Matcher[] {
  const logger = {
    warn(obj: Record<string, unknown>, msg: string) {
      const sugg = typeof obj.suggestion === 'string' ? ` suggestion=${JSON.stringify(obj.suggestion)}` : '';
      warnings?.push(`${msg} input=${JSON.stringify(input)}${sugg}`);
    },
  } as unknown as Logger;
  return parseMatchers(input, { mode, logger, origin: 'config' });
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
