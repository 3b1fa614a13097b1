export type { Matcher, MatchType } from './types';
export {
  type ApiMatcher,
  compareMatchers,
  compileAnchored,
  createMatcher,
  isReservedChar,
  labelValue,
  matcherEquals,
  matcherFromApi,
  matchersToString,
  matcherToApi,
  matchesLabels,
  matchTypeFromApi,
  sortMatchers,
} from './matcher';
export {
  DEFAULT_PARSE_MODE,
  isValidClassicLabelName,
  isValidLabelName,
  matcherModeFromFeatures,
  type MatcherParseMode,
  type ParseOptions,
  parseMatcher,
  parseMatchers,
} from './parse';
export { parseMatcherClassic, parseMatchersClassic } from './parse-classic';
export { goUnquote, parseMatcherUtf8, parseMatchersUtf8 } from './parse-utf8';
