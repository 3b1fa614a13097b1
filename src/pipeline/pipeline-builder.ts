/**
 * @module pipeline/pipeline-builder
 * Builds one stage per receiver (upstream notify.PipelineBuilder.New):
 * Multi[Mute(inhibitor), TimeActive, TimeMute, Mute(silencer), Fanout[per integration: Multi[Dedup, Retry, SetNotifies]]].
 * Gossip settle and cluster wait are no-ops without HA and are omitted.
 */
import type { Clock } from '../types/clock';
import { FanoutStage, MultiStage } from './combinators';
import { DedupStage } from './dedup-stage';
import { initializeNotifyMetricsFor, type NotifyMetrics, receiverNotifyMetrics } from './metrics';
import { MuteStage } from './mute-stage';
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
    const stages: Stage[] = [];
    if (o.inhibitor) stages.push(new MuteStage(o.inhibitor, 'inhibition', o.metrics));
    stages.push(new TimeActiveStage(o.timeIntervals, o.metrics));
    stages.push(new TimeMuteStage(o.timeIntervals, o.metrics));
    if (o.silencer) stages.push(new MuteStage(o.silencer, 'silence', o.metrics));
    stages.push(
      new FanoutStage(
        integrations.map((i) => {
          const recv = { groupName: name, integration: i.name, idx: i.index };
          return new MultiStage([
            new DedupStage(o.nflog, recv, i.sendResolved, o.acks),
            new RetryStage(i, o.clock, retryMetrics, o.backoff ?? DEFAULT_BACKOFF),
            new SetNotifiesStage(o.nflog, recv),
          ]);
        }),
      ),
    );
    out.set(name, new MultiStage(stages));
  }
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
