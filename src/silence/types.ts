import type { LiveSilence } from '../history/event';
import type { MatchType } from '../matchers/types';

/**
 * A silence (upstream silencepb.Silence). Times are epoch ms. `matcherSets` is an OR of ANDs; the v2 API reads
 * and writes one set. Objects handed out are frozen; a change replaces the object.
 */
export interface Silence extends LiveSilence {
  readonly annotations: Readonly<Record<string, string>>;
}

export type SilenceState = 'active' | 'pending' | 'expired';

/** One matcher as posted: `Matcher` objects fit too. */
export interface SilenceMatcherInput {
  readonly type: MatchType;
  readonly name: string;
  /** the value or (unanchored) regex */
  readonly value: string;
}

/** What `Silences.set` takes. `id` set = update (or replace) that silence; startsAt 0 = now. */
export interface SilenceInput {
  id?: string | undefined;
  matcherSets: readonly (readonly SilenceMatcherInput[])[];
  startsAt: number;
  endsAt: number;
  createdBy: string;
  comment: string;
  annotations?: Readonly<Record<string, string>> | undefined;
}

/** Internal state rule (silence.getState): pending before startsAt, expired after endsAt, else active. */
export function silenceState(s: Pick<Silence, 'startsAt' | 'endsAt'>, now: number): SilenceState {
  if (now < s.startsAt) return 'pending';
  if (now > s.endsAt) return 'expired';
  return 'active';
}

/** The API's state rule (silence.CurrentState): active only while now < endsAt. */
export function apiSilenceState(s: Pick<Silence, 'startsAt' | 'endsAt'>, now: number): SilenceState {
  if (now < s.startsAt) return 'pending';
  if (now < s.endsAt) return 'active';
  return 'expired';
}
