/**
 * The classic matchers parser (upstream pkg/labels/parse.go), the only one in 0.25 and `classic-mode`.
 * Tolerant: optional braces, optional value quotes, OpenMetrics escapes (`\n`, `\"`, `\\`) in the value.
 */
import { ValidationError } from '../types/errors';
import { createMatcher, GO_SPACE_CLASS } from './matcher';
import type { Matcher, MatchType } from './types';

// Go's \s is [\t\n\f\r ]; the value is `(?s).*?` (lazy, so trailing whitespace goes to the last group).
const MATCHER_RE = /^[\t\n\f\r ]*([a-zA-Z_:][a-zA-Z0-9_:]*)[\t\n\f\r ]*(=~|=|!=|!~)[\t\n\f\r ]*([\s\S]*?)[\t\n\f\r ]*$/;
const TRIM_RE = new RegExp(`^[${GO_SPACE_CLASS}]+|[${GO_SPACE_CLASS}]+$`, 'g');

/** strings.TrimSpace (Go's notion of white space). */
function goTrimSpace(s: string): string {
  return s.replace(TRIM_RE, '');
}

/** Parses one matcher (labels.ParseMatcher). */
export function parseMatcherClassic(s: string): Matcher {
  const m = MATCHER_RE.exec(s);
  if (!m) throw new ValidationError(`bad matcher format: ${s}`);
  const name = m[1]!;
  const op = m[2] as MatchType;
  const raw = m[3]!;
  let rawValue = raw;
  let expectTrailingQuote = false;
  if (rawValue.startsWith('"')) {
    rawValue = rawValue.slice(1);
    expectTrailingQuote = true;
  }
  if (/\p{Cs}/u.test(rawValue)) throw new ValidationError(`matcher value not valid UTF-8: ${raw}`);
  let value = '';
  let escaped = false;
  const last = rawValue.length - 1;
  for (let i = 0; i < rawValue.length; i++) {
    const c = rawValue[i]!;
    if (escaped) {
      escaped = false;
      if (c === 'n') value += '\n';
      else if (c === '"' || c === '\\') value += c;
      else value += `\\${c}`; // a spurious escape: the backslash is literal
      continue;
    }
    if (c === '\\') {
      if (i < last) {
        escaped = true;
        continue;
      }
      value += '\\'; // a trailing single backslash is literal
    } else if (c === '"') {
      if (!expectTrailingQuote || i < last) {
        throw new ValidationError(`matcher value contains unescaped double quote: ${raw}`);
      }
      expectTrailingQuote = false;
    } else {
      value += c;
    }
  }
  if (expectTrailingQuote) throw new ValidationError(`matcher value contains unescaped double quote: ${raw}`);
  return createMatcher(op, name, value);
}

/** Parses a comma-separated list (labels.ParseMatchers); `{` and `}` around it are optional. */
export function parseMatchersClassic(input: string): Matcher[] {
  let s = input;
  if (s.startsWith('{')) s = s.slice(1);
  if (s.endsWith('}')) s = s.slice(0, -1);
  const tokens: string[] = [];
  let insideQuotes = false;
  let escaped = false;
  let token = '';
  for (const c of s) {
    switch (c) {
      case ',':
        if (!insideQuotes) {
          tokens.push(token);
          token = '';
          continue;
        }
        break;
      case '"':
        if (!escaped) insideQuotes = !insideQuotes;
        else escaped = false;
        break;
      case '\\':
        escaped = !escaped;
        break;
      default:
        escaped = false;
    }
    token += c;
  }
  const lastToken = goTrimSpace(token);
  if (lastToken !== '') tokens.push(lastToken);
  return tokens.map(parseMatcherClassic);
}
