/**
 * Silence validation (upstream silence.go validateSilence / validateMatcher / matchesEmpty) and the protobuf size
 * of the stored form (for --silences.max-silence-size-bytes, which upstream measures with proto.Size).
 */
import { compileRe2 } from '../types/re2';
import { createMatcher } from '../matchers/matcher';
import { isValidLabelName, type MatcherParseMode } from '../matchers/parse';
import type { Matcher } from '../matchers/types';
import { goQuote } from '../types/labels';
import { LazyRegexMatcher } from './lazy-matcher';
import type { SilenceInput, SilenceMatcherInput } from './types';

const MATCH_TYPES = new Set(['=', '!=', '=~', '!~']);

/**
 * Regexes made only of literal letters, digits, `_` and `-`, of `.`, `.*` and `.+`, and of top-level `|` (e.g.
 * `host-1|host-2`, `job-.*`): valid RE2 by construction, and whether one matches "" can be read off it (some
 * alternative is nothing but `.*`). Their RE2 program is built on first use (LazyRegexMatcher, as for silences
 * loaded from storage) instead of while the POST waits: most are found through the literal-prefix index or never
 * evaluated before they expire.
 */
const SIMPLE_REGEX = /^(?:[A-Za-z0-9_-]|\.[*+]?)*(?:\|(?:[A-Za-z0-9_-]|\.[*+]?)*)*$/;
const ONLY_ANY = /^(?:\.\*)*$/;

/** For a SIMPLE_REGEX pattern: whether `^(?:re)$` matches "". */
export function simpleRegexMatchesEmpty(re: string): boolean {
  return re.split('|').some((alt) => ONLY_ANY.test(alt));
}

/** True for patterns of SIMPLE_REGEX's form. */
export function isSimpleRegex(re: string): boolean {
  return SIMPLE_REGEX.test(re);
}

const rethrow = (e: unknown) => {
  throw e;
};

/**
 * Validates one matcher (upstream validateMatcher) and compiles it. Also tells whether it matches the empty
 * string (matchesEmpty: only `=""` and `=~` regexes matching "" count; negative matchers never do).
 */
function checkMatcher(m: SilenceMatcherInput, mode: MatcherParseMode): { error: string } | { matcher: Matcher; matchesEmpty: boolean } {
  if (!isValidLabelName(m.name, mode)) return { error: `invalid label name ${goQuote(m.name)}` };
  if (m.type === '=' || m.type === '!=') {
    if (/\p{Cs}/u.test(m.value)) return { error: `invalid label value ${goQuote(m.value)}` };
    return { matcher: createMatcher(m.type, m.name, m.value), matchesEmpty: m.type === '=' && m.value === '' };
  }
  if (isSimpleRegex(m.value)) {
    // cannot fail to compile: a failure would be a bug here, thrown where the matcher is used
    return { matcher: new LazyRegexMatcher(m.type, m.name, m.value, rethrow, { valid: true }), matchesEmpty: m.type === '=~' && simpleRegexMatchesEmpty(m.value) };
  }
  const badRegex = (e: unknown) => ({ error: `invalid regular expression ${goQuote(m.value)}: ${(e as Error).message}` });
  // Upstream compiles the pattern alone. Only a pattern with a ')' can be valid inside `^(?:...)$` yet invalid
  // alone (e.g. `a)|(b`), so the extra compile is needed only then.
  if (m.value.includes(')')) {
    try {
      compileRe2(m.value);
    } catch (e) {
      return badRegex(e);
    }
  }
  let matcher: Matcher;
  try {
    matcher = createMatcher(m.type, m.name, m.value);
  } catch (e) {
    // same message as the unanchored compile, apart from the quoted fragment
    try {
      compileRe2(m.value);
    } catch (e2) {
      return badRegex(e2);
    }
    return badRegex(e);
  }
  // An anchored full match of "" is the same as an unanchored search in "".
  return { matcher, matchesEmpty: m.type === '=~' && matcher.matches('') };
}

/** Returns the upstream error text (without the `invalid silence: ` prefix), or the compiled matcher sets. */
export function validateSilence(s: SilenceInput, mode: MatcherParseMode): { error: string } | { matcherSets: Matcher[][] } {
  if (s.matcherSets.length === 0) return { error: 'at least one matcher set required' };
  const sets: Matcher[][] = [];
  for (let setIdx = 0; setIdx < s.matcherSets.length; setIdx++) {
    const set = s.matcherSets[setIdx]!;
    if (set.length === 0) return { error: `matcher set ${setIdx} is empty` };
    let allMatchEmpty = true;
    const compiled: Matcher[] = [];
    for (let i = 0; i < set.length; i++) {
      const m = set[i]!;
      const prefix = `invalid label matcher ${i} in set ${setIdx}: `;
      if (!MATCH_TYPES.has(m.type)) return { error: `${prefix}unknown matcher type ${goQuote(String(m.type))}` };
      const r = checkMatcher(m, mode);
      if ('error' in r) return { error: prefix + r.error };
      compiled.push(r.matcher);
      allMatchEmpty = allMatchEmpty && r.matchesEmpty;
    }
    if (allMatchEmpty) return { error: `matcher set ${setIdx}: at least one matcher must not match the empty string` };
    sets.push(compiled);
  }
  if (!s.startsAt) return { error: 'invalid zero start timestamp' };
  if (!s.endsAt) return { error: 'invalid zero end timestamp' };
  if (s.endsAt < s.startsAt) return { error: 'end time must not be before start time' };
  return { matcherSets: sets };
}

// --- protobuf size of MeshSilence{silence, expires_at} -----------------------------------------------------------

function varintSize(n: number): number {
  if (n < 0) return 10; // negative int64 varints take 10 bytes
  let size = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

/** Length-delimited field with a one-byte tag (field numbers < 16). */
function lenField(len: number): number {
  return 1 + varintSize(len) + len;
}

function stringField(s: string): number {
  return s === '' ? 0 : lenField(Buffer.byteLength(s, 'utf8'));
}

/** google.protobuf.Timestamp, always present (timestamppb.New never returns nil). */
function timestampField(ms: number): number {
  const seconds = Math.floor(ms / 1000);
  const nanos = (ms - seconds * 1000) * 1e6;
  const body = (seconds !== 0 ? 1 + varintSize(seconds) : 0) + (nanos !== 0 ? 1 + varintSize(nanos) : 0);
  return lenField(body);
}

const PB_TYPE: Record<string, number> = { '=': 0, '=~': 1, '!=': 2, '!~': 3 };

export interface SizedSilence {
  id: string;
  matcherSets: readonly (readonly SilenceMatcherInput[])[];
  startsAt: number;
  endsAt: number;
  updatedAt: number;
  createdBy: string;
  comment: string;
  annotations: Readonly<Record<string, string>>;
}

/** proto.Size of the MeshSilence upstream would store for this silence. */
export function meshSilenceSize(s: SizedSilence, expiresAt: number): number {
  let sil = stringField(s.id);
  sil += timestampField(s.startsAt) + timestampField(s.endsAt) + timestampField(s.updatedAt);
  sil += stringField(s.createdBy) + stringField(s.comment);
  for (const [k, v] of Object.entries(s.annotations)) {
    // map entries encode key and value even when empty
    const entry = lenField(Buffer.byteLength(k, 'utf8')) + lenField(Buffer.byteLength(v, 'utf8'));
    sil += lenField(entry);
  }
  for (const set of s.matcherSets) {
    let setBody = 0;
    for (const m of set) {
      const t = PB_TYPE[m.type] ?? 0;
      const body = (t !== 0 ? 2 : 0) + stringField(m.name) + stringField(m.value);
      setBody += lenField(body);
    }
    sil += lenField(setBody);
  }
  return lenField(sil) + timestampField(expiresAt);
}
