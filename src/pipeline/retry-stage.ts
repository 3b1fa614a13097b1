/**
 * @module pipeline/retry-stage
 * Sends through one integration, retrying retryable failures with exponential backoff until the flush
 * deadline (upstream notify/retry_stage.go, reference §4.4): initial 500 ms, x1.5, +-50 % jitter, max 60 s,
 * no max elapsed time. Also applies send_resolved=false filtering.
 */
import type { AttemptCapture } from '../history/attempt-capture';
import { recordAttempt } from '../history/notification-events';
import type { Clock } from '../types/clock';
import { type Alert, isResolved } from '../types/alert';
import { type FailureReason, NotifyError } from '../types/errors';
import type { NotifyMetrics } from './metrics';
import type { Integration, NotifyContext, Stage, StageResult } from './types';

export interface BackoffPolicy {
  initialMs: number;
  multiplier: number;
  randomization: number;
  maxMs: number;
  /** [0,1) source, injectable for tests */
  random: () => number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 500, multiplier: 1.5, randomization: 0.5, maxMs: 60_000, random: Math.random };

/** Delay before retry number `n` (1-based) under the policy. */
export function backoffDelay(p: BackoffPolicy, n: number): number {
  const base = Math.min(p.maxMs, p.initialMs * p.multiplier ** (n - 1));
  const delta = p.randomization * base;
  return base - delta + p.random() * (2 * delta);
}

/** Sleeps on the injected clock; rejects when the signal aborts. */
export function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      t.cancel();
      reject(signal.reason);
    };
    const t = clock.setTimer(ms, () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function abortReason(signal: AbortSignal): FailureReason {
  const r = signal.reason as { name?: string } | undefined;
  return r?.name === 'TimeoutError' ? 'contextDeadlineExceeded' : 'contextCanceled';
}

/** an error's message (or the thrown value as text) */
export function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class RetryStage implements Stage {
  constructor(
    readonly integration: Integration,
    readonly clock: Clock,
    readonly metrics?: NotifyMetrics,
    readonly policy: BackoffPolicy = DEFAULT_BACKOFF,
  ) {}

  async exec(ctx: NotifyContext, alerts: readonly Alert[]): Promise<StageResult> {
    const name = this.integration.name;
    this.metrics?.notificationsTotal.inc({ integration: name });
    let sent = alerts;
    if (!this.integration.sendResolved) {
      sent = alerts.filter((a) => !isResolved(a, ctx.now));
      if (sent.length === 0) return { ctx, alerts };
    }
    const where = `${ctx.receiver}/${name}[${this.integration.index}]`;
    let attempts = 0;
    let attemptStart = 0;
    let lastErr: unknown;
    for (;;) {
      if (attempts > 0) {
        // Like upstream's backoff ticker, the interval runs from the start of the previous attempt, so a slow
        // (timed-out) attempt does not push the next one further out.
        const left = attemptStart + backoffDelay(this.policy, attempts) - this.clock.now();
        try {
          if (left > 0) await sleep(this.clock, left, ctx.signal);
        } catch {
          break;
        }
      }
      if (ctx.signal.aborted) break;
      // the outbox holds earlier notifications for this integration: this one goes behind them
      if (attempts > 0 && ctx.stopRetrying?.()) break;
      attempts++;
      attemptStart = this.clock.now();
      // with history on, the notifier's sender notes the status (or SMTP reply) and request body of this attempt here
      const capture: AttemptCapture | undefined = ctx.history ? { payloadBytes: ctx.history.payloadBytes ?? 0 } : undefined;
      const started = performance.now();
      this.metrics?.requestsTotal.inc({ integration: name });
      try {
        await this.integration.notifier.notify(capture ? { ...ctx, attempt: capture } : ctx, sent);
        this.metrics?.latency.observe({ integration: name }, (performance.now() - started) / 1000);
        if (ctx.history) recordAttempt(ctx.history, ctx, this.integration, attempts, attemptStart, performance.now() - started, undefined, capture, sent);
        return { ctx, alerts };
      } catch (e) {
        this.metrics?.latency.observe({ integration: name }, (performance.now() - started) / 1000);
        this.metrics?.requestsFailedTotal.inc({ integration: name });
        if (ctx.history) recordAttempt(ctx.history, ctx, this.integration, attempts, attemptStart, performance.now() - started, e, capture, sent);
        const retryable = e instanceof NotifyError ? e.retryable : !ctx.signal.aborted;
        const attemptReason: FailureReason = e instanceof NotifyError ? e.reason : 'other';
        // one line per failed attempt (upstream logs a changed error only, at warn): receiver, integration,
        // attempt and reason as fields; notifier errors never carry secrets
        if (!retryable || (!ctx.signal.aborted && (lastErr === undefined || errText(e) !== errText(lastErr)))) {
          ctx.logger.warn(
            { receiver: ctx.receiver, integration: `${name}[${this.integration.index}]`, aggrGroup: ctx.groupKey, attempts, reason: attemptReason, retryable, err: errText(e) },
            retryable ? 'Notify attempt failed, will retry later' : 'Notify attempt failed',
          );
        }
        // as upstream, an attempt cut short by the flush deadline (or a reload) is not the error reported: the
        // last one seen before it is, else the context's
        if (!ctx.signal.aborted) lastErr = e;
        if (!retryable) {
          const reason = attemptReason;
          this.metrics?.notificationsFailedTotal.inc({ integration: name, reason });
          throw new NotifyError(`${where}: notify retry canceled due to unrecoverable error after ${attempts} attempts: ${errText(e)}`, {
            retryable: false,
            reason,
            cause: e,
          });
        }
      }
    }
    const ctxReason = abortReason(ctx.signal);
    const reason = lastErr instanceof NotifyError ? lastErr.reason : ctxReason;
    this.metrics?.notificationsFailedTotal.inc({ integration: name, reason });
    const detail = lastErr !== undefined ? errText(lastErr) : ctxReason === 'contextDeadlineExceeded' ? 'context deadline exceeded' : 'context canceled';
    throw new NotifyError(`${where}: notify retry canceled after ${attempts} attempts: ${detail}`, { retryable: false, reason, cause: lastErr });
  }
}
