import type { CommandContext } from '../context';
import { parseEach, parseKeyValues, withAlertnameHeuristic } from '../matchers';
import type { PostableAlert } from '../models';
import { ZERO_TIME, parseRfc3339 } from '../time';

export interface AlertQueryOptions {
  inhibited?: boolean;
  silenced?: boolean;
  active?: boolean;
  unprocessed?: boolean;
  receiver?: string;
}

/** `alert query` (upstream cli/alert_query.go). */
export async function alertQuery(ctx: CommandContext, groups: string[], o: AlertQueryOptions): Promise<void> {
  const m = ctx.matchers();
  const filter = withAlertnameHeuristic(groups, m, ctx.mode);
  parseEach(filter, m, ctx.mode); // a bad matcher is reported here, not as an API 400
  const any = o.inhibited || o.silenced || o.active || o.unprocessed;
  const client = await ctx.client();
  const alerts = await client.getAlerts({
    active: any ? !!o.active : true,
    silenced: !!o.silenced,
    inhibited: !!o.inhibited,
    unprocessed: !!o.unprocessed,
    receiver: o.receiver,
    filter,
  });
  ctx.io.out(ctx.formatter().alerts(alerts));
}

export interface AlertAddOptions {
  annotation?: string[];
  generatorUrl?: string;
  start?: string;
  end?: string;
}

/** `alert add` (upstream cli/alert_add.go). */
export async function alertAdd(ctx: CommandContext, labelArgs: string[], o: AlertAddOptions): Promise<void> {
  const m = ctx.matchers();
  const labels = parseKeyValues(withAlertnameHeuristic(labelArgs, m, ctx.mode), m, ctx.mode, 'labels');
  const annotations = parseKeyValues(o.annotation ?? [], m, ctx.mode, 'annotations');
  const alert: PostableAlert = {
    labels,
    startsAt: o.start ? parseRfc3339(o.start, '--start').toISOString() : ZERO_TIME,
    endsAt: o.end ? parseRfc3339(o.end, '--end').toISOString() : ZERO_TIME,
  };
  if (Object.keys(annotations).length > 0) alert.annotations = annotations;
  if (o.generatorUrl) alert.generatorURL = o.generatorUrl;
  const client = await ctx.client();
  await client.postAlerts([alert]);
}
