/**
 * @module history/silence-events
 * Silence events: created, updated (replaced in place), expired; with the author and, when basic auth is
 * on, the authenticated user who made the change.
 */
import type { LiveSilence } from './event';
import type { HistorySink } from './sink';

export interface SilenceFacts {
  id: string;
  createdBy: string;
  comment: string;
  startsAt: number;
  endsAt: number;
  /** rendered matchers, e.g. `alertname="Disk"` (upstream's Matcher.rendered) */
  matchers: readonly string[];
}

export function recordSilence(
  sink: HistorySink,
  kind: 'silence_created' | 'silence_updated' | 'silence_expired',
  s: SilenceFacts,
  now: number,
  user?: string,
  live?: LiveSilence,
): void {
  sink.record({
    time: now,
    kind,
    silenceId: s.id,
    data: { createdBy: s.createdBy, comment: s.comment, startsAt: s.startsAt, endsAt: s.endsAt, matchers: s.matchers, ...(user ? { user } : {}) },
    ...(live ? { live: { silence: live } } : {}),
  });
}
