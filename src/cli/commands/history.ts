/**
 * @module cli/commands/history
 * `tocsinctl history [matchers] --since 2h --receiver R --kind notification`: the server's history
 * (GET /api/v2/tocsin/history), newest first, following the cursor until --limit events are printed.
 */
import type { CommandContext } from '../context';
import { CliError } from '../errors';
import type { HistoryEventWire } from '../format/history';
import { parseEach, withAlertnameHeuristic } from '../matchers';

export interface HistoryOptions {
  since?: string;
  until?: string;
  receiver?: string;
  fingerprint?: string;
  kind?: string[];
  limit?: string;
}

const PAGE = 1000;

export async function historyQuery(ctx: CommandContext, args: string[], o: HistoryOptions): Promise<void> {
  const matchers = withAlertnameHeuristic(args, ctx.matchers(), ctx.mode);
  parseEach(matchers, ctx.matchers(), ctx.mode); // a bad matcher is reported here, not as an API 400
  const limit = o.limit === undefined ? 100 : Number(o.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new CliError(`--limit: expected a whole number above 0, got '${o.limit}'`);
  const q = new URLSearchParams();
  for (const m of matchers) q.append('filter', m);
  for (const k of o.kind ?? []) q.append('kind', k);
  if (o.since) q.set('since', o.since);
  if (o.until) q.set('until', o.until);
  if (o.receiver) q.set('receiver', o.receiver);
  if (o.fingerprint) q.set('fingerprint', o.fingerprint);
  const client = await ctx.client();
  const events: HistoryEventWire[] = [];
  for (;;) {
    q.set('limit', String(Math.min(PAGE, limit - events.length)));
    const page = await client.getHistory(q);
    events.push(...page.events);
    if (!page.next || events.length >= limit) break;
    q.set('cursor', page.next);
  }
  ctx.io.out(ctx.formatter().history(events));
}
