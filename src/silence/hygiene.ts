/**
 * @module silence/hygiene
 * Silence hygiene (tocsin.yml `silences:`): the warning for a silence that would mute more than
 * `warn_mute_share` of the firing alerts (upstream #3492), and which silences have matched nothing for
 * `expire_unmatched_after` (upstream #5459; Silences.expireUnmatched acts on it).
 */
import { type Alert, isResolved } from '../types/alert';
import { silenceMatches } from './silences';
import type { Silence } from './types';

/** How many firing (not resolved) alerts `silence` mutes, of how many firing. */
export function muteShare(silence: Pick<Silence, 'matcherSets'>, alerts: Iterable<Alert>, now: number): { muted: number; firing: number } {
  let muted = 0;
  let firing = 0;
  for (const a of alerts) {
    if (isResolved(a, now)) continue;
    firing++;
    if (silenceMatches(silence, a.labels)) muted++;
  }
  return { muted, firing };
}

/** The warning for a silence muting more than `share` (0..1; 0 = never warn) of the firing alerts, if it does. */
export function muteShareWarning(silence: Pick<Silence, 'matcherSets'>, alerts: Iterable<Alert>, now: number, share: number): string | undefined {
  if (!(share > 0)) return undefined;
  const { muted, firing } = muteShare(silence, alerts, now);
  if (firing === 0 || muted / firing <= share) return undefined;
  const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
  return `this silence mutes ${muted} of ${firing} firing alerts (${pct(muted / firing)}), more than silences.warn_mute_share (${pct(share)})`;
}
