import { goQuote } from '../types/labels';
import { type MatcherParseMode as MatcherMode, matcherModeFromFeatures, matcherToApi } from '../matchers';
import { CliError } from './errors';
import type { ApiMatcher, LabelSet } from './models';
import type { Matcher } from '../matchers/types';

/** The two parsers tocsinctl uses (src/matchers), passed around so commands take no module state. */
export interface MatchersModule {
  parseMatcher(input: string, opts?: { mode?: MatcherMode }): Matcher;
  parseMatchers(input: string, opts?: { mode?: MatcherMode }): Matcher[];
}

/** The matcher parser mode selected by --enable-feature (as the server's flag of the same name). */
export function matcherMode(enableFeature: string | undefined): MatcherMode {
  const flags = (enableFeature ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const known = new Set([
    'utf8-strict-mode',
    'classic-mode',
    'receiver-name-in-metrics',
    'auto-gomemlimit',
    'auto-gomaxprocs',
    'alert-names-in-metrics',
  ]);
  for (const f of flags) if (!known.has(f)) throw new CliError(`error parsing the feature flag list: unknown option '${f}'`);
  if (flags.includes('utf8-strict-mode') && flags.includes('classic-mode')) {
    throw new CliError('error parsing the feature flag list: cannot have both classic and UTF-8 modes enabled');
  }
  return matcherModeFromFeatures(flags);
}

/**
 * amtool's heuristic for matcher groups (upstream cli/alert_query.go): if the first argument is not a
 * matcher, it is the value of the alertname label.
 */
export function withAlertnameHeuristic(args: string[], m: MatchersModule, mode: MatcherMode): string[] {
  if (args.length === 0) return args;
  const first = args[0] as string;
  try {
    m.parseMatcher(first, { mode });
    return args;
  } catch {
    return [`alertname=${goQuote(first)}`, ...args.slice(1)];
  }
}

/** Parses each argument as one matcher; the first failure is the command's error. */
export function parseEach(args: string[], m: MatchersModule, mode: MatcherMode): Matcher[] {
  return args.map((a) => {
    try {
      return m.parseMatcher(a, { mode });
    } catch (err) {
      throw new CliError((err as Error).message);
    }
  });
}

/** `k=v` arguments into a label set; `what` names them in the error (labels, annotations). */
export function parseKeyValues(args: string[], m: MatchersModule, mode: MatcherMode, what: string): LabelSet {
  const out: LabelSet = {};
  for (const matcher of parseEach(args, m, mode)) {
    if (matcher.type !== '=') throw new CliError(`${what} must be specified as key=value pairs`);
    out[matcher.name] = matcher.value;
  }
  return out;
}

export function toApiMatcher(m: Matcher): ApiMatcher {
  return matcherToApi(m);
}
