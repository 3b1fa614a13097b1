/**
 * @module history/mute-events
 * Suppression changes, recorded by the silencer and the inhibitor when an alert's muting set changes (not
 * on every flush): silence_muted_alert / inhibition_muted_alert with the reason, alert_unmuted when the
 * last reason goes away.
 */
import type { LabelSet } from '../types/alert';
import type { LiveFacts, LiveSilence } from './event';
import type { HistorySink } from './sink';

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** True when the ids changed (callers then record). */
export function muteChanged(before: readonly string[], after: readonly string[]): boolean {
  return !sameIds(before, after);
}

export function recordSilenceMute(
  sink: HistorySink,
  fp: string,
  labels: LabelSet,
  before: readonly string[],
  after: readonly string[],
  now: number,
  silences?: readonly LiveSilence[],
): void {
  if (after.length > 0) {
    sink.record({ time: now, kind: 'silence_muted_alert', fingerprint: fp, labels, silenceId: after[0]!, data: { silenceIds: [...after] }, ...(silences ? { live: { silences } } : {}) });
  }
  else if (before.length > 0) sink.record({ time: now, kind: 'alert_unmuted', fingerprint: fp, labels, data: { was: 'silence', silenceIds: [...before] } });
}

export function recordInhibitionMute(
  sink: HistorySink,
  fp: string,
  labels: LabelSet,
  before: readonly string[],
  inhibitor: string | undefined,
  rule: string | undefined,
  now: number,
  inhibitRule?: LiveFacts['inhibitRule'],
): void {
  if (inhibitor !== undefined) {
    sink.record({ time: now, kind: 'inhibition_muted_alert', fingerprint: fp, labels, data: { inhibitedBy: inhibitor, ...(rule ? { rule } : {}) }, ...(inhibitRule ? { live: { inhibitRule } } : {}) });
  }
  else if (before.length > 0) sink.record({ time: now, kind: 'alert_unmuted', fingerprint: fp, labels, data: { was: 'inhibition', inhibitedBy: before[0] } });
}
