import type { ApiMatcher, LabelSet } from '../models';
import { matcherOp } from '../models';
import { goQuote } from '../../types/labels';

// Runes that force a matcher's name to be quoted (upstream pkg/labels/matcher.go, master).
const RESERVED = /[\s{}!=~,\\"'`]/u;

/** Matcher value escaping of upstream Matcher.String() (master): only \, newline and ". */
function escapeValue(v: string): string {
  return v.replace(/[\\\n"]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** One matcher as upstream labels.Matcher.String() prints it, e.g. foo=~"bar.*". */
export function formatMatcher(m: ApiMatcher): string {
  const op = matcherOp(m);
  if (RESERVED.test(m.name)) return `${goQuote(m.name)}${op}${goQuote(m.value)}`;
  return `${m.name}${op}"${escapeValue(m.value)}"`;
}

/** Label sets in extended output: sorted `k="v"` pairs joined by spaces (values not escaped, as amtool). */
export function formatLabelPairs(ls: LabelSet | undefined): string {
  return Object.entries(ls ?? {})
    .map(([k, v]) => `${k}="${v}"`)
    .sort()
    .join(' ');
}
