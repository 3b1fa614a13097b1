/**
 * Matcher parsing by mode (upstream matcher/compat/parse.go). The mode is passed in (no global state):
 * - 'fallback' (master's default): UTF-8 parser, falling back to the classic parser with a warning;
 * - 'utf8' (`--enable-feature=utf8-strict-mode`): UTF-8 parser only;
 * - 'classic' (`--enable-feature=classic-mode`, and 0.25): classic parser only.
 */
import type { Logger } from '../types/logger';
import { ValidationError } from '../types/errors';
import { matcherEquals, matchersToString } from './matcher';
import { parseMatcherClassic, parseMatchersClassic } from './parse-classic';
import { parseMatcherUtf8, parseMatchersUtf8 } from './parse-utf8';
import type { Matcher } from './types';

export type MatcherParseMode = 'utf8' | 'classic' | 'fallback';

export const DEFAULT_PARSE_MODE: MatcherParseMode = 'fallback';

/**
 * The mode the `--enable-feature` list selects (classic-mode, utf8-strict-mode, else fallback). Callers reject
 * both flags together before asking (the server's flag parser, tocsinctl's --enable-feature).
 */
export function matcherModeFromFeatures(features: readonly string[]): MatcherParseMode {
  if (features.includes('classic-mode')) return 'classic';
  if (features.includes('utf8-strict-mode')) return 'utf8';
  return DEFAULT_PARSE_MODE;
}

export interface ParseOptions {
  mode?: MatcherParseMode | undefined;
  /** receives fallback/disagreement warnings */
  logger?: Logger | undefined;
  /** where the input came from (e.g. "config", "api"), for the warnings */
  origin?: string | undefined;
}

const INCOMPATIBLE_WARNING =
  'Alertmanager is moving to a new parser for labels and matchers, and this input is incompatible. Alertmanager has instead parsed the input using the classic matchers parser as a fallback. To make this input compatible with the UTF-8 matchers parser please make sure all regular expressions and values are double-quoted and backslashes are escaped. If you are still seeing this message please open an issue.';

function attempt<T>(fn: () => T): { ok: true; value: T } | { ok: false; error: unknown } {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    return { ok: false, error };
  }
}

function sameList(a: readonly Matcher[], b: readonly Matcher[]): boolean {
  return a.length === b.length && a.every((m, i) => matcherEquals(m, b[i]!));
}

/** Parses zero or more matchers, e.g. `{a="b", c=~"d"}` or `a=b,c!=d`. Throws ValidationError. */
export function parseMatchers(input: string, opts: ParseOptions = {}): Matcher[] {
  const mode = opts.mode ?? DEFAULT_PARSE_MODE;
  if (mode === 'classic') return parseMatchersClassic(input);
  if (mode === 'utf8') return parseMatchersUtf8(input);
  const n = attempt(() => parseMatchersUtf8(input));
  const c = attempt(() => parseMatchersClassic(input));
  if (!n.ok) {
    if (!c.ok) throw c.error;
    opts.logger?.warn(
      { input, origin: opts.origin, err: (n.error as Error).message, suggestion: matchersToString(c.value).slice(1, -1) },
      INCOMPATIBLE_WARNING,
    );
    return c.value;
  }
  // Upstream compares with reflect.DeepEqual, where the UTF-8 parser's nil list differs from the classic
  // parser's empty one: inputs without matchers ("", "{}") also count as a disagreement.
  if (c.ok && (n.value.length === 0 || !sameList(n.value, c.value))) {
    opts.logger?.warn({ input, origin: opts.origin }, 'Matchers input has disagreement');
    return c.value;
  }
  return n.value;
}

/** Parses exactly one matcher (API `filter`, amtool arguments). Throws ValidationError. */
export function parseMatcher(input: string, opts: ParseOptions = {}): Matcher {
  const mode = opts.mode ?? DEFAULT_PARSE_MODE;
  if (mode === 'classic') return parseMatcherClassic(input);
  if (input.startsWith('{') || input.endsWith('}')) {
    throw new ValidationError(`unexpected open or close brace: ${input}`);
  }
  if (mode === 'utf8') return parseMatcherUtf8(input);
  const n = attempt(() => parseMatcherUtf8(input));
  const c = attempt(() => parseMatcherClassic(input));
  if (!n.ok) {
    if (!c.ok) throw c.error;
    opts.logger?.warn(
      { input, origin: opts.origin, err: (n.error as Error).message, suggestion: c.value.toString() },
      INCOMPATIBLE_WARNING,
    );
    return c.value;
  }
  if (c.ok && !matcherEquals(n.value, c.value)) {
    opts.logger?.warn({ input, origin: opts.origin }, 'Matchers input has disagreement');
    return c.value;
  }
  return n.value;
}

const CLASSIC_LABEL_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

// String.prototype.isWellFormed (Node 20; its type is in lib ES2024): false when the text holds a lone surrogate,
// i.e. is not valid UTF-8 once encoded. About as cheap as a length check; a /\p{Cs}/u test cost ~5x more per name.
const isWellFormed = (s: string): boolean => (s as string & { isWellFormed(): boolean }).isWellFormed();

/**
 * Label-name validity for alerts (POST /api/v2/alerts: compat.IsValidLabelName), group_by, equal and silences:
 * classic mode → `[a-zA-Z_][a-zA-Z0-9_]*`; other modes → any non-empty valid UTF-8 string.
 */
export function isValidLabelName(name: string, mode: MatcherParseMode = DEFAULT_PARSE_MODE): boolean {
  if (mode === 'classic') return CLASSIC_LABEL_NAME_RE.test(name);
  return name.length > 0 && isWellFormed(name);
}

/** The classic (legacy) label-name rule, used regardless of mode for match/match_re keys. */
export function isValidClassicLabelName(name: string): boolean {
  return CLASSIC_LABEL_NAME_RE.test(name);
}
