/**
 * @module pipeline/outbox-stage
 * The retry stage of an integration whose receiver has the persistent outbox on (tocsin.yml `outbox`): the flush
 * sends and retries as upstream does (RetryStage), and what it cannot deliver goes to the outbox (src/pipeline/
 * outbox.ts) instead of being dropped at the flush deadline: a retryable failure is stored and retried across
 * flushes and restarts; a refusal (a non-retryable failure such as a 4xx) is stored as a dead letter at once, with
 * its reason. Either way the stage succeeds, so the nflog counts the notification as handled: the outbox owns it
 * now, and the next flush does not build a second copy of it.
 *
 * Order: while the outbox holds notifications for this integration, a new one is not sent but queues behind them,
 * and a flush that is retrying stops at its next attempt and queues behind them too.
 */
import type { Alert } from '../types/alert';
import type { Clock } from '../types/clock';
import { NotifyError } from '../types/errors';
import type { OutboxSettings } from '../types/tocsin-config';
import type { NotifyMetrics } from './metrics';
import type { Outbox } from './outbox';
import type { PayloadCapture, StoredRequest } from './payload-capture';
import { type BackoffPolicy, DEFAULT_BACKOFF, errText, RetryStage } from './retry-stage';
import { isResolved } from '../types/alert';
import type { Integration, NotifyContext, Stage, StageResult } from './types';

export class OutboxStage implements Stage {
  constructor(
    readonly integration: Integration,
    readonly outbox: Outbox,
    readonly settings: OutboxSettings,
    readonly clock: Clock,
    readonly metrics?: NotifyMetrics,
    readonly policy: BackoffPolicy = DEFAULT_BACKOFF,
  ) {}

  async exec(ctx: NotifyContext, alerts: readonly Alert[]): Promise<StageResult> {
    const i = this.integration;
    const waiting = () => this.outbox.waiting(ctx.receiver, i.name, i.index) > 0;
    if (this.outbox.stopped) return new RetryStage(i, this.clock, this.metrics, this.policy).exec(ctx, alerts);
    if (waiting()) {
      if (!i.sendResolved && alerts.every((a) => isResolved(a, ctx.now))) return { ctx, alerts };
      // already queued (stored before a kill, the notification log's entry lost with the process): not twice
      if (this.outbox.holds(ctx, i)) return { ctx, alerts };
      await this.outbox.enqueue(ctx, alerts, i, this.settings, { attempts: 0, payload: [] });
      return { ctx, alerts };
    }
    // every attempt of this flush sends the bodies its first attempt rendered; they are what the outbox keeps
    let first: readonly StoredRequest[] | undefined;
    let attempts = 0;
    const notifier = i.notifier;
    const capturing: Integration = {
      ...i,
      notifier: {
        notify: async (c, a) => {
          attempts++;
          const capture: PayloadCapture = first ? { requests: [], replay: first } : { requests: [] };
          try {
            await notifier.notify({ ...c, payloads: capture }, a);
          } finally {
            if (!first && capture.requests.length > 0) first = capture.requests;
          }
        },
      },
    };
    try {
      return await new RetryStage(capturing, this.clock, this.metrics, this.policy).exec(Object.freeze({ ...ctx, stopRetrying: waiting }), alerts);
    } catch (e) {
      // shutting down: as upstream, the flush failed and the group flushes again after the restart
      if (this.outbox.stopped) throw e;
      const cause = e instanceof NotifyError ? e.cause : undefined;
      const refused = cause instanceof NotifyError && !cause.retryable && cause.reason !== 'contextCanceled' && cause.reason !== 'contextDeadlineExceeded';
      const error = errText(cause ?? e);
      if (refused) await this.outbox.deadLetter(ctx, alerts, i, { attempts, payload: first ?? [], error });
      else await this.outbox.enqueue(ctx, alerts, i, this.settings, { attempts, payload: first ?? [], error });
      return { ctx, alerts };
    }
  }
}
