/**
 * @module cli/commands/silence-schedule
 * `tocsinctl silence schedule add|list|delete`: Tocsin's recurring silences (/api/v2/tocsin/silence-schedules).
 * `add` takes matchers like `silence add` and prints the schedule id; `list` prints one line per schedule with
 * its next occurrence (`-o json`: the API's objects); `delete` expires the schedule's pending silences.
 */
import type { PostableSilenceSchedule, SilenceScheduleWire } from '../../wire/silence-schedules';
import type { CommandContext } from '../context';
import { CliError } from '../errors';
import { alignColumns } from '../format/tabwriter';
import { parseEach, toApiMatcher, withAlertnameHeuristic } from '../matchers';
import { parseRfc3339 } from '../time';

export interface ScheduleAddOptions {
  author: string;
  rrule?: string;
  cron?: string;
  duration: string;
  timeZone: string;
  start?: string;
  comment?: string;
}

export async function scheduleAdd(ctx: CommandContext, groups: string[], o: ScheduleAddOptions): Promise<void> {
  const m = ctx.matchers();
  const matchers = parseEach(withAlertnameHeuristic(groups, m, ctx.mode), m, ctx.mode);
  if (matchers.length === 0) throw new CliError('no matchers specified');
  if (!o.rrule === !o.cron) throw new CliError('give one of --rrule (e.g. FREQ=WEEKLY;BYDAY=SU;BYHOUR=2) and --cron (e.g. "0 2 * * 0")');
  if (!o.comment) throw new CliError('--comment is required');
  const body: PostableSilenceSchedule = {
    matchers: matchers.map(toApiMatcher),
    ...(o.cron ? { cron: o.cron } : { rrule: o.rrule! }),
    duration: o.duration,
    timeZone: o.timeZone,
    createdBy: o.author,
    comment: o.comment,
    ...(o.start ? { startsAt: parseRfc3339(o.start, '--start').toISOString() } : {}),
  };
  const client = await ctx.client();
  ctx.io.out(`${await client.postSilenceSchedule(body)}\n`);
}

const matcherText = (s: SilenceScheduleWire) =>
  s.matchers.map((x) => `${x.name}${x.isEqual === false ? '!' : '='}${x.isRegex ? '~' : ''}${JSON.stringify(x.value)}`).join(' ');

export async function scheduleList(ctx: CommandContext, o: { quiet?: boolean }): Promise<void> {
  const client = await ctx.client();
  const all = await client.getSilenceSchedules();
  if (o.quiet) {
    ctx.io.out(all.map((s) => `${s.id}\n`).join(''));
    return;
  }
  if (ctx.output === 'json') {
    ctx.io.out(`${JSON.stringify(all)}\n`);
    return;
  }
  const rows = [['ID', 'Matchers', 'Rule', 'Time zone', 'Duration', 'Next start', 'Created by', 'Comment']];
  for (const s of all) {
    rows.push([s.id, matcherText(s), s.rrule ?? `cron ${s.cron ?? ''}`, s.timeZone, s.duration, s.nextOccurrences[0]?.startsAt ?? '-', s.createdBy, s.comment]);
  }
  // tabs and newlines inside a cell would break the columns
  ctx.io.out(alignColumns(`${rows.map((r) => `${r.map((c) => c.replace(/[\t\r\n]+/g, ' ')).join('\t')}\t`).join('\n')}\n`));
}

export async function scheduleDelete(ctx: CommandContext, ids: string[], o: { expireActive?: boolean }): Promise<void> {
  if (ids.length === 0) throw new CliError('no schedule IDs specified');
  const client = await ctx.client();
  for (const id of ids) await client.deleteSilenceSchedule(id, o.expireActive === true);
}
