/**
 * @module cli/commands/ack
 * `tocsinctl ack add|list|delete` (Tocsin only): acknowledge an alert group on a receiver (no repeat notification
 * until the group changes or the ack ends), list acks, delete them. Over /api/v2/tocsin/acks.
 */
import { parseDuration } from '../../types/duration';
import type { AckWire, PostableAck } from '../../wire/ack';
import type { CommandContext } from '../context';
import { CliError } from '../errors';
import { parseRfc3339 } from '../time';

export interface AckAddOptions {
  receiver: string;
  author: string;
  comment?: string;
  duration?: string;
  end?: string;
}

/** `ack add <group-key>`: prints the new ack's ID. */
export async function ackAdd(ctx: CommandContext, groupKey: string, o: AckAddOptions): Promise<void> {
  const comment = o.comment ?? '';
  if (comment === '') throw new CliError('--comment: required (say what you are doing about it)');
  let endsAt: Date | undefined;
  if (o.end) endsAt = parseRfc3339(o.end, '--end');
  else if (o.duration) {
    let ms: number;
    try {
      ms = parseDuration(o.duration);
    } catch (err) {
      throw new CliError(`--duration: ${(err as Error).message}`);
    }
    if (ms <= 0) throw new CliError('--duration: must be greater than 0');
    endsAt = new Date(ctx.io.now().getTime() + ms);
  }
  const a: PostableAck = { groupKey, receiver: o.receiver, createdBy: o.author, comment, ...(endsAt ? { endsAt: endsAt.toISOString() } : {}) };
  const client = await ctx.client();
  ctx.io.out(`${await client.postAck(a)}\n`);
}

export interface AckListOptions {
  groupKey?: string;
  receiver?: string;
  all?: boolean;
  quiet?: boolean;
}

/** `ack list`: the acks applying now (with --all, ended ones too), newest first. */
export async function ackList(ctx: CommandContext, o: AckListOptions): Promise<void> {
  const q = new URLSearchParams();
  if (o.groupKey) q.set('groupKey', o.groupKey);
  if (o.receiver) q.set('receiver', o.receiver);
  if (o.all) q.set('active', 'false');
  const client = await ctx.client();
  const list: AckWire[] = await client.getAcks(q);
  if (o.quiet) {
    ctx.io.out(list.map((a) => `${a.ackID}\n`).join(''));
    return;
  }
  ctx.io.out(ctx.formatter().acks(list));
}

/** `ack delete <id>...`: ends the acks (kept for the audit). */
export async function ackDelete(ctx: CommandContext, ids: string[]): Promise<void> {
  if (ids.length === 0) throw new CliError('no ack IDs specified');
  const client = await ctx.client();
  for (const id of ids) await client.deleteAck(id);
}
