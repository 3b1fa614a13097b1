/**
 * @module ui/web/matchers
 * Client-side matcher handling in the API's syntax (§7): `alertname="X", severity=~"crit.*"` with or without braces.
 * Used to split the filter bar into one `filter=` parameter per matcher, to fill the silence form, and to walk the
 * routing tree in the browser when the server has no explain endpoint. The server remains the authority: its
 * 400 text is shown when it rejects a filter.
 */
import type { ApiMatcher, WireLabelSet } from '../../wire/api';

export type Op = '=' | '!=' | '=~' | '!~';
export interface UiMatcher {
  name: string;
  op: Op;
  value: string;
}
export type { ApiMatcher } from '../../wire/api';

const RESERVED = new Set([' ', '\t', '\n', '\r', '{', '}', '!', '=', '~', ',', '\\', '"', "'", '`']);
const CLASSIC_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export class MatcherParseError extends Error {}

/** Parses a list of matchers; throws MatcherParseError with a readable message. */
export function parseMatchers(input: string): UiMatcher[] {
  let s = input.trim();
  if (s.startsWith('{')) {
    if (!s.endsWith('}')) throw new MatcherParseError('missing closing "}"');
    s = s.slice(1, -1);
  } else if (s.endsWith('}')) {
    throw new MatcherParseError('missing opening "{"');
  }
  const out: UiMatcher[] = [];
  let i = 0;
  const ws = () => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  const quoted = (): string => {
    // s[i] === '"'
    let j = i + 1;
    let v = '';
    while (j < s.length && s[j] !== '"') {
      if (s[j] === '\\') {
        const n = s[j + 1];
        if (n === undefined) throw new MatcherParseError('unterminated escape');
        v += n === 'n' ? '\n' : n === 't' ? '\t' : n;
        j += 2;
      } else {
        v += s[j];
        j++;
      }
    }
    if (j >= s.length) throw new MatcherParseError(`unterminated quoted string at ${i}`);
    i = j + 1;
    return v;
  };
  const word = (stopAtOp: boolean): string => {
    const start = i;
    while (i < s.length) {
      const c = s[i]!;
      if (c === ',' || (stopAtOp && (c === '=' || c === '!' || c === '~')) || (stopAtOp && /\s/.test(c))) break;
      i++;
    }
    return s.slice(start, i).trim();
  };
  ws();
  while (i < s.length) {
    const name = s[i] === '"' ? quoted() : word(true);
    if (name === '') throw new MatcherParseError(`expected a label name at position ${i}`);
    ws();
    let op: Op;
    if (s.startsWith('=~', i)) op = '=~';
    else if (s.startsWith('!=', i)) op = '!=';
    else if (s.startsWith('!~', i)) op = '!~';
    else if (s[i] === '=') op = '=';
    else throw new MatcherParseError(`expected an operator (=, !=, =~, !~) after "${name}"`);
    i += op.length;
    ws();
    const value = s[i] === '"' ? quoted() : word(false);
    out.push({ name, op, value });
    ws();
    if (i < s.length) {
      if (s[i] !== ',') throw new MatcherParseError(`expected "," at position ${i}`);
      i++;
      ws();
    }
  }
  return out;
}

function quote(v: string): string {
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

export function formatMatcher(m: UiMatcher): string {
  const needsQuote = m.name === '' || [...m.name].some((c) => RESERVED.has(c));
  return `${needsQuote ? JSON.stringify(m.name) : m.name}${m.op}${quote(m.value)}`;
}

export function formatMatchers(ms: UiMatcher[]): string {
  return `{${ms.map(formatMatcher).join(', ')}}`;
}

export function isClassicName(n: string): boolean {
  return CLASSIC_NAME.test(n);
}

export function toApi(m: UiMatcher): ApiMatcher {
  return { name: m.name, value: m.value, isRegex: m.op === '=~' || m.op === '!~', isEqual: m.op === '=' || m.op === '=~' };
}

export function fromApi(m: ApiMatcher): UiMatcher {
  const eq = m.isEqual !== false;
  return { name: m.name, value: m.value, op: m.isRegex ? (eq ? '=~' : '!~') : eq ? '=' : '!=' };
}

/** Compiles an RE2-style pattern anchored as Alertmanager does (^(?:re)$); leading (?i)/(?s) become JS flags. */
export function compileAnchored(pattern: string): RegExp {
  let p = pattern;
  let flags = 'u';
  const lead = /^\(\?([is]+)\)/.exec(p);
  if (lead) {
    flags += lead[1]!.includes('i') ? 'i' : '';
    flags += lead[1]!.includes('s') ? 's' : '';
    p = p.slice(lead[0].length);
  }
  return new RegExp(`^(?:${p})$`, flags);
}

export type LabelSet = WireLabelSet;

/** A compiled matcher for client-side evaluation (missing label = empty string). */
export function matcherFn(m: UiMatcher): (ls: LabelSet) => boolean {
  if (m.op === '=' || m.op === '!=') {
    const eq = m.op === '=';
    return (ls) => ((ls[m.name] ?? '') === m.value) === eq;
  }
  let re: RegExp | null = null;
  try {
    re = compileAnchored(m.value);
  } catch {
    re = null;
  }
  const eq = m.op === '=~';
  return (ls) => (re ? re.test(ls[m.name] ?? '') === eq : false);
}

const OP_ORDER: Record<Op, number> = { '=': 0, '!=': 1, '=~': 2, '!~': 3 };
/** Sort order used in route keys: name, value, then operator. */
export function sortMatchers(ms: UiMatcher[]): UiMatcher[] {
  return [...ms].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : a.value < b.value ? -1 : a.value > b.value ? 1 : OP_ORDER[a.op] - OP_ORDER[b.op],
  );
}

/** Go-style `{a="b", c="d"}` (model.LabelSet.String) used in group keys. */
export function labelSetString(ls: LabelSet): string {
  return `{${Object.keys(ls)
    .map((k) => `${k}=${JSON.stringify(ls[k])}`)
    .sort()
    .join(', ')}}`;
}

/** Escapes a literal string for use inside an RE2 pattern. */
export function escapeRegex(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}
