/**
 * @module pipeline/combinators
 * MultiStage (sequence), FanoutStage (concurrent branches) and StageFunc (upstream notify/notify.go).
 */
import type { Alert } from '../types/alert';
import type { NotifyContext, Stage, StageResult } from './types';

/** Runs stages in order; stops early (successfully) once no alerts remain. */
export class MultiStage implements Stage {
  constructor(readonly stages: readonly Stage[]) {}
  async exec(ctx: NotifyContext, alerts: readonly Alert[]): Promise<StageResult> {
    let res: StageResult = { ctx, alerts };
    for (const s of this.stages) {
      if (res.alerts.length === 0) return res;
      res = await s.exec(res.ctx, res.alerts);
    }
    return res;
  }
}

/** Runs every branch concurrently; fails with an AggregateError of the failed branches. */
export class FanoutStage implements Stage {
  constructor(readonly stages: readonly Stage[]) {}
  async exec(ctx: NotifyContext, alerts: readonly Alert[]): Promise<StageResult> {
    const settled = await Promise.allSettled(this.stages.map((s) => s.exec(ctx, alerts)));
    const errors = settled.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason);
    if (errors.length > 0) throw new AggregateError(errors, errors.map((e) => String(e?.message ?? e)).join('; '));
    return { ctx, alerts };
  }
}

export function stageFunc(fn: (ctx: NotifyContext, alerts: readonly Alert[]) => Promise<StageResult> | StageResult): Stage {
  return { exec: async (ctx, alerts) => fn(ctx, alerts) };
}
