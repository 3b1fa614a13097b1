/**
 * @module pipeline/escalating-stage
 * A receiver's stage with escalation steps (tocsin.yml `escalation`, issue 16): after the receiver's own pipeline
 * runs, the group's escalation advances (src/ack/escalations.ts) and every reached step's receiver runs the same
 * flush through its own pipeline (its integrations, its own notification log entries and dedup). An ack of the
 * group on the receiver stops the escalation; the next step's time is handed to `wake`, which flushes the group then.
 */
import type { Advance, FlushFacts } from '../ack/escalations';
import { type Alert, isResolved } from '../types/alert';
import type { EscalationStep } from '../types/tocsin-config';
import type { IntegrationRef, NotificationLog, NotifyContext, Stage, StageResult } from './types';

export interface EscalatingStageOptions {
  receiver: string;
  steps: readonly EscalationStep[];
  /** the receiver's own stage */
  base: Stage;
  /** a step receiver's stage */
  stageOf(receiver: string): Stage | undefined;
  escalations: { advance(groupKey: string, receiver: string, steps: readonly EscalationStep[], f: FlushFacts): Promise<Advance> };
  /** the ack applying to the group on the receiver now */
  ackedBy?(groupKey: string, receiver: string, now: number): string | undefined;
  /** the receiver's integrations in the notification log: was the group notified to it? */
  nflog: Pick<NotificationLog, 'query'>;
  refs: readonly IntegrationRef[];
  /** flush the group again at `at` (the next step's time) */
  wake?(groupKey: string, at: number): void;
}

export class EscalatingStage implements Stage {
  constructor(readonly o: EscalatingStageOptions) {}

  async exec(ctx: NotifyContext, alerts: readonly Alert[]): Promise<StageResult> {
    const { o } = this;
    let result: StageResult | undefined;
    let failure: unknown;
    try {
      result = await o.base.exec(ctx, alerts);
    } catch (e) {
      // the receiver failing does not hold up its escalation
      failure = e;
    }
    const firing = alerts.some((a) => !isResolved(a, ctx.now));
    // a receiver without integrations (only there to escalate from) counts as notified at its first firing flush
    const notified = firing && (o.refs.length === 0 || o.refs.some((ref) => (o.nflog.query(ctx.groupKey, ref)?.firingAlerts.length ?? 0) > 0));
    const ackID = o.ackedBy?.(ctx.groupKey, o.receiver, ctx.now);
    const adv = await o.escalations.advance(ctx.groupKey, o.receiver, o.steps, { now: ctx.now, firing, notified, ...(ackID !== undefined ? { ackID } : {}) });
    const runs: Promise<unknown>[] = [];
    // a step's time stages must not set the group's mutedBy (that is the receiver's own)
    const { setMutedBy: _own, ...shared } = ctx;
    for (const step of o.steps.slice(0, adv.reached)) {
      const stage = o.stageOf(step.receiver);
      if (!stage) continue;
      runs.push(
        stage.exec(Object.freeze({ ...shared, receiver: step.receiver, escalatedFrom: o.receiver }), alerts).catch((e: unknown) => {
          ctx.logger.error({ aggrGroup: ctx.groupKey, receiver: step.receiver, escalatedFrom: o.receiver, err: (e as Error)?.message ?? String(e) }, 'Escalation notify failed');
        }),
      );
    }
    await Promise.all(runs);
    if (adv.nextAt !== undefined) o.wake?.(ctx.groupKey, adv.nextAt);
    if (failure !== undefined) throw failure;
    return result!;
  }
}
