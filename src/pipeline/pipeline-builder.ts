/**
 * @module pipeline/pipeline-builder
 * Builds one stage per receiver (upstream notify.PipelineBuilder.New):
 * Multi[Mute(inhibitor), TimeActive, TimeMute, Mute(silencer), Fanout[per integration: Multi[Dedup, Retry, SetNotifies]]];
 * with the persistent outbox on for the receiver (tocsin.yml), Outbox (src/pipeline/outbox-stage.ts) in place of Retry.
 * Gossip settle and cluster wait are no-ops without HA and are omitted.
 */
import type { Clock } from '../types/clock';
import type { OutboxSettings } from '../types/tocsin-config';
import { FanoutStage, MultiStage } from './combinators';
import { DedupStage } from './dedup-stage';
import { initializeNotifyMetricsFor, type NotifyMetrics, receiverNotifyMetrics } from './metrics';
import { MuteStage } from './mute-stage';
import type { Outbox } from './outbox';
import { OutboxStage } from './outbox-stage';
import { type BackoffPolicy, DEFAULT_BACKOFF, RetryStage } from './retry-stage';
import { SetNotifiesStage } from './set-notifies-stage';
import { TimeActiveStage } from './time-active-stage';
import type { TimeIntervals } from './time-interval';
import { TimeMuteStage } from './time-mute-stage';
import type { Integration, Muter, NotificationLog, Stage } from './types';

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
  /** the persistent outbox, and the receivers' outbox settings (tocsin.yml; undefined = off for that receiver) */
  outbox?: { outbox: Outbox; settings: (receiver: string) => OutboxSettings | undefined };
}

export function buildPipeline(o: PipelineOptions): Map<string, Stage> {
  const out = new Map<string, Stage>();
  if (o.metrics) initializeNotifyMetricsFor(o.metrics, o.receivers);
  for (const [name, integrations] of o.receivers) {
    const retryMetrics = o.metrics && receiverNotifyMetrics(o.metrics, name);
    const stages: Stage[] = [];
    const outboxSettings = o.outbox?.settings(name);
    if (o.inhibitor) stages.push(new MuteStage(o.inhibitor, 'inhibition', o.metrics));
    stages.push(new TimeActiveStage(o.timeIntervals, o.metrics));
    stages.push(new TimeMuteStage(o.timeIntervals, o.metrics));
    if (o.silencer) stages.push(new MuteStage(o.silencer, 'silence', o.metrics));
    stages.push(
      new FanoutStage(
        integrations.map((i) => {
          const recv = { groupName: name, integration: i.name, idx: i.index };
          return new MultiStage([
            new DedupStage(o.nflog, recv, i.sendResolved),
            o.outbox && outboxSettings
              ? new OutboxStage(i, o.outbox.outbox, outboxSettings, o.clock, retryMetrics, o.backoff ?? DEFAULT_BACKOFF)
              : new RetryStage(i, o.clock, retryMetrics, o.backoff ?? DEFAULT_BACKOFF),
            new SetNotifiesStage(o.nflog, recv),
          ]);
        }),
      ),
    );
    out.set(name, new MultiStage(stages));
  }
  return out;
}
