/**
 * @module ack/alert-state
 * An alert as an ack remembers it (fingerprint, firing or resolved, annotations hash), and whether a flush's
 * alerts still are what was acknowledged.
 */
import { type Alert, isResolved } from '../types/alert';
import { fingerprint } from '../types/fingerprint';
import type { AckedAlert } from './types';

export function ackedAlert(a: Alert, now: number): AckedAlert {
  return { fingerprint: a.fingerprint, resolved: isResolved(a, now), annotations: fingerprint(a.annotations) };
}

/**
 * True when every alert of the flush was in the group at ack time, in the same state (firing or resolved) and
 * with the same annotations. Alerts acked then and gone now (resolved and released) change nothing.
 */
export function sameAlerts(acked: readonly AckedAlert[], alerts: readonly Alert[], now: number): boolean {
  const byFp = new Map<string, AckedAlert>();
  for (const a of acked) byFp.set(a.fingerprint, a);
  for (const a of alerts) {
    const was = byFp.get(a.fingerprint);
    if (!was || was.resolved !== isResolved(a, now)) return false;
    if (was.annotations !== fingerprint(a.annotations)) return false;
  }
  return true;
}
