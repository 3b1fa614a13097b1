/**
 * The alert as Tocsin holds it. Times are epoch milliseconds (the API's precision);
 * 0 stands for Go's zero time ("unset").
 * Mirrors upstream types.Alert / model.Alert (prometheus/alertmanager:types/types.go).
 */
export type LabelSet = Readonly<Record<string, string>>;

export interface Alert {
  readonly labels: LabelSet;
  readonly annotations: LabelSet;
  /** epoch ms */
  readonly startsAt: number;
  /** epoch ms; 0 = unset */
  readonly endsAt: number;
  /** epoch ms, when Tocsin last received/merged it */
  readonly updatedAt: number;
  readonly generatorURL: string;
  /** true when endsAt was set by Tocsin from resolve_timeout, not by the client */
  readonly timeout: boolean;
  /** 16 lower-case hex digits, FNV-1a 64 over the sorted labels (see src/types/fingerprint.ts) */
  readonly fingerprint: string;
}

/** Upstream Alert.Resolved(): endsAt set and not after now. */
export function isResolved(alert: Pick<Alert, 'endsAt'>, now: number): boolean {
  return alert.endsAt !== 0 && alert.endsAt <= now;
}
