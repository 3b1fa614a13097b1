/**
 * @module pipeline/pipeline-builder
 * Builds one stage per receiver (upstream notify.PipelineBuilder.New):
 * Multi[Mute(inhibitor), TimeActive, TimeMute, Mute(silencer), Fanout[per integration: Multi[Dedup, Retry, SetNotifies]]];
 * with the persistent outbox on for the receiver (tocsin.yml), Outbox (src/pipeline/outbox-stage.ts) in place of Retry.
 * Gossip settle and cluster wait are no-ops without HA and are omitted.
 * tocsin.yml per receiver (src/types/tocsin-config.ts): `resolved_after_mute` gives the mute stages a
 * ResolvedGuard and ends the pipeline with ResolvedAfterMuteStage; `rate_limit` puts a RateLimitStage before
 * the fan-out and binds the receiver's limiter (kept by name across reloads) to send its digests through the
 * new integrations.
 */
import type { Clock } from '../types/clock';
import { receiverSettings, type TocsinConfig } from '../types/tocsin-config';
import { FanoutStage, MultiStage } from './combinators';
import { DedupStage } from './dedup-stage';
import type { DeliveryMetrics } from './delivery-metrics';
import { initializeNotifyMetricsFor, type NotifyMetrics, receiverNotifyMetrics } from './metrics';
import { MuteStage } from './mute-stage';
import type { Outbox } from './outbox';
import { OutboxStage } from './outbox-stage';
import { sendDigest } from './digest';
import type { RateLimits } from './rate-limit';
import { RateLimitStage } from './rate-limit-stage';
import { ResolvedAfterMuteStage } from './resolved-after-mute-stage';
import { ResolvedGuard } from './resolved-guard';
import { type BackoffPolicy, DEFAULT_BACKOFF, RetryStage } from './retry-stage';
import { SetNotifiesStage } from './set-notifies-stage';
import { TimeActiveStage } from './time-active-stage';
import type { TimeIntervals } from './time-interval';
import { TimeMuteStage } from './time-mute-stage';
import type { EscalationStep } from '../types/tocsin-config';
import { EscalatingStage, type EscalatingStageOptions } from './escalating-stage';
import type { AckGate, Integration, Muter, NotificationLog, Stage } from './types';

export interface PipelineOptions {
  /** receiver name -> its integrations, in upstream's integration order */
  receivers: ReadonlyMap<string, readonly Integration[]>;
  inhibitor?: Muter;
  silencer?: Muter;
  timeIntervals: TimeIntervals;
  nflog: NotificationLog;
  clock: Clock;
  metrics?: NotifyMetrics;
  backoff?: BackoffPolicy;
  /** the persistent outbox, for the receivers whose tocsin.yml settings have `outbox` */
  outbox?: Outbox;
  /** the Tocsin-only settings (tocsin.yml); omitted = Alertmanager's behaviour */
  tocsin?: TocsinConfig;
  /** tocsin_* metrics of the Tocsin-only delivery decisions */
  deliveryMetrics?: DeliveryMetrics;
  /** the rate limiters by receiver name, shared by successive pipelines (needed for `rate_limit`) */
  rateLimits?: RateLimits;
  /** acknowledgements: the dedup stages suppress repeats of acknowledged groups */
  acks?: AckGate;
  /** escalation steps per receiver (tocsin.yml); a receiver with steps gets an EscalatingStage */
  escalation?: Pick<EscalatingStageOptions, 'escalations' | 'ackedBy' | 'wake'> & { stepsOf(receiver: string): readonly EscalationStep[] };
}

export function buildPipeline(o: PipelineOptions): Map<string, Stage> {
  const out = new Map<string, Stage>();
  if (o.metrics) initializeNotifyMetricsFor(o.metrics, o.receivers);
  for (const [name, integrations] of o.receivers) {
    const retryMetrics = o.metrics && receiverNotifyMetrics(o.metrics, name);
    const settings = receiverSettings(o.tocsin, name);
    const resolvers = integrations.filter((i) => i.sendResolved).map((i) => ({ groupName: name, integration: i.name, idx: i.index }));
    const guard = settings.resolved_after_mute && resolvers.length > 0 ? new ResolvedGuard(o.nflog, resolvers) : undefined;
    const stages: Stage[] = [];
    const outbox = o.outbox;
    const outboxSettings = outbox ? settings.outbox : undefined;
    if (o.inhibitor) stages.push(new MuteStage(o.inhibitor, 'inhibition', o.metrics, guard));
    stages.push(new TimeActiveStage(o.timeIntervals, o.metrics, guard));
    stages.push(new TimeMuteStage(o.timeIntervals, o.metrics, guard));
    if (o.silencer) stages.push(new MuteStage(o.silencer, 'silence', o.metrics, guard));
    // replicas sharing PostgreSQL (the log claims): each flushes every group and only the owner sends, so a
    // per-replica limiter would fold groups it does not own; rate_limit applies on a single instance only
    const limiter = o.nflog.claim ? undefined : o.rateLimits?.configure(name, settings.rate_limit);
    if (limiter) stages.push(new RateLimitStage(limiter, o.nflog, integrations, o.deliveryMetrics));
    // also a limiter kept for its pending digest after rate_limit was removed sends it through these integrations
    const bound = o.rateLimits?.get(name);
    if (bound) {
      const digestOptions = { receiver: name, integrations, nflog: o.nflog, clock: o.clock, backoff: o.backoff ?? DEFAULT_BACKOFF, ...(retryMetrics ? { metrics: retryMetrics } : {}), ...(o.deliveryMetrics ? { deliveryMetrics: o.deliveryMetrics } : {}) };
      bound.sender = (d) => sendDigest(digestOptions, d);
    }
    stages.push(
      new FanoutStage(
        integrations.map((i) => {
          const recv = { groupName: name, integration: i.name, idx: i.index };
          return new MultiStage([
            new DedupStage(o.nflog, recv, i.sendResolved, o.acks, guard !== undefined && i.sendResolved),
            outbox && outboxSettings
              ? new OutboxStage(i, outbox, outboxSettings, o.clock, retryMetrics, o.backoff ?? DEFAULT_BACKOFF)
              : new RetryStage(i, o.clock, retryMetrics, o.backoff ?? DEFAULT_BACKOFF),
            new SetNotifiesStage(o.nflog, recv),
          ]);
        }),
      ),
    );
    if (guard) stages.push(new ResolvedAfterMuteStage(o.deliveryMetrics));
    out.set(name, new MultiStage(stages));
  }
  o.rateLimits?.retain(new Set(o.receivers.keys()));
  if (o.escalation) {
    const base = new Map(out);
    const esc = o.escalation;
    for (const [name, integrations] of o.receivers) {
      const steps = esc.stepsOf(name);
      if (steps.length === 0) continue;
      out.set(
        name,
        new EscalatingStage({
          receiver: name,
          steps,
          base: base.get(name)!,
          stageOf: (r) => base.get(r),
          escalations: esc.escalations,
          ...(esc.ackedBy ? { ackedBy: esc.ackedBy } : {}),
          ...(esc.wake ? { wake: esc.wake } : {}),
          nflog: o.nflog,
          refs: integrations.map((i) => ({ groupName: name, integration: i.name, idx: i.index })),
        }),
      );
    }
  }
  return out;
}
