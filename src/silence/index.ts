export { SilenceMatchIndex } from './match-index';
export { Silencer, type SilencerOptions } from './silencer';
export { type SilenceQuery, SilenceLimitError, Silences, type SilencesOptions, silenceMatches } from './silences';
export { apiSilenceState, type Silence, type SilenceInput, type SilenceMatcherInput, type SilenceState, silenceState } from './types';
export { meshSilenceSize, validateSilence } from './validate';
export type { SilencePersistence, StoredSilence } from './store';
