/**
 * @module history/notification-events
 * Notification events: one per attempt to send through an integration (upstream records only successful
 * sends, as `notification`; Tocsin records every attempt with its outcome), and flushes that sent nothing
 * with the reason. Error text is scrubbed of URLs (notifiers already redact theirs; this is a second guard
 * so no webhook token or credential reaches the history).
 */
import type { Alert, LabelSet } from '../types/alert';
import { redactSecrets } from '../types/secret';
import type { AttemptCapture } from './attempt-capture';
import type { HistorySink } from './sink';

/** The parts of the pipeline's NotifyContext an attempt event reads. */
export interface AttemptContext {
  readonly receiver: string;
  readonly groupKey: string;
  readonly firing?: readonly string[];
  readonly resolved?: readonly string[];
  readonly notificationReason?: string;
  readonly groupLabels?: LabelSet;
  readonly repeatInterval?: number;
}

/** An attempt's failure, read structurally from a NotifyError (src/types/errors.ts) or any thrown value. */
interface FailureFacts {
  message?: string;
  status?: number;
  retryable?: boolean;
  reason?: string;
}

const URL_RE = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"']+/gi;

export function scrubError(text: string): string {
  return redactSecrets(text.replace(URL_RE, '<redacted>').slice(0, 2000));
}

/**
 * One attempt through integration `name[index]`: `error` undefined = delivered. `time` is when it started.
 */
export function recordAttempt(
  sink: HistorySink,
  ctx: AttemptContext,
  integration: { name: string; index: number },
  attempt: number,
  time: number,
  latencyMs: number,
  error?: unknown,
  capture?: AttemptCapture,
  alerts?: readonly Alert[],
): void {
  const f = (typeof error === 'object' && error !== null ? error : {}) as FailureFacts;
  const status = typeof f.status === 'number' ? f.status : capture?.status;
  sink.record({
    time,
    kind: 'notification',
    receiver: ctx.receiver,
    groupKey: ctx.groupKey,
    data: {
      integration: integration.name,
      index: integration.index,
      reason: ctx.notificationReason ?? 'unknown',
      attempt,
      outcome: error === undefined ? 'success' : 'failure',
      latencyMs: Math.round(latencyMs * 10) / 10,
      firing: ctx.firing ?? [],
      resolved: ctx.resolved ?? [],
      ...(status !== undefined ? { status } : {}),
      ...(capture?.smtp ? { smtp: { code: capture.smtp.code, text: scrubError(capture.smtp.text) } } : {}),
      ...(error !== undefined ? { retryable: f.retryable ?? true, error: scrubError(f.message ?? String(error)) } : {}),
      ...(typeof f.reason === 'string' ? { failure: f.reason } : {}),
      ...(capture?.payload !== undefined ? { payload: redactSecrets(capture.payload), ...(capture.truncated ? { payloadTruncated: true } : {}) } : {}),
    },
    ...(alerts ? { live: { alerts, ...(ctx.groupLabels ? { groupLabels: ctx.groupLabels } : {}), ...(ctx.repeatInterval !== undefined ? { repeatInterval: ctx.repeatInterval } : {}) } } : {}),
  });
}

export type SkipReason = 'deduplicated' | 'acknowledged' | 'silenced' | 'inhibited' | 'muted by time interval' | 'outside active time interval' | 'in a digest being sent';

/** A flush of a group that sent nothing (to `integration` when the reason is per integration). */
export function recordFlushSkipped(
  sink: HistorySink,
  time: number,
  receiver: string,
  groupKey: string,
  why: SkipReason,
  detail?: { integration?: string; intervals?: readonly string[]; digest?: string; ackID?: string },
): void {
  sink.record({ time, kind: 'flush_skipped', receiver, groupKey, data: { why, ...detail } });
}
