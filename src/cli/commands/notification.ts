/**
 * @module cli/commands/notification
 * `tocsinctl notification list [--state dead] [--receiver R]` and `tocsinctl notification replay <id>...`: the
 * persistent outbox (GET /api/v2/tocsin/notifications, POST .../{id}/replay). A replay that fails, or an id the
 * server does not know, makes the command fail (exit 1) after trying every id.
 */
import type { CommandContext } from '../context';
import { CliError } from '../errors';
import type { OutboxNotificationWire } from '../../wire/notifications';

export interface NotificationListOptions {
  state?: string;
  receiver?: string;
  limit?: string;
}

const PAGE = 1000;

export async function notificationList(ctx: CommandContext, o: NotificationListOptions): Promise<void> {
  const limit = o.limit === undefined ? 100 : Number(o.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new CliError(`--limit: expected a whole number above 0, got '${o.limit}'`);
  if (o.state !== undefined && o.state !== 'pending' && o.state !== 'dead') throw new CliError(`--state: expected pending or dead, got '${o.state}'`);
  const q = new URLSearchParams();
  if (o.state) q.set('state', o.state);
  if (o.receiver) q.set('receiver', o.receiver);
  const client = await ctx.client();
  const out: OutboxNotificationWire[] = [];
  for (;;) {
    q.set('limit', String(Math.min(PAGE, limit - out.length)));
    const page = await client.getNotifications(q);
    out.push(...page.notifications);
    if (!page.next || out.length >= limit) break;
    q.set('cursor', page.next);
  }
  ctx.io.out(ctx.formatter().notifications(out));
}

export async function notificationReplay(ctx: CommandContext, ids: string[]): Promise<void> {
  if (ids.length === 0) throw new CliError('no notification id given');
  for (const id of ids) if (!/^\d+$/.test(id)) throw new CliError(`not a notification id: '${id}'`);
  const client = await ctx.client();
  const done: OutboxNotificationWire[] = [];
  const failed: string[] = [];
  for (const id of ids) {
    try {
      const r = await client.replayNotification(id);
      done.push(r.notification);
      if (!r.delivered) failed.push(`${id}: ${r.notification.lastError ?? 'not delivered'}`);
    } catch (e) {
      failed.push(`${id}: ${(e as Error).message}`);
    }
  }
  if (done.length > 0) ctx.io.out(ctx.formatter().notifications(done));
  if (failed.length > 0) throw new CliError(`replay failed: ${failed.join('; ')}`);
}
