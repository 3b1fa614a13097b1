/**
 * @module notifiers/shared/webhook-url
 * The webhook URL of the notifiers whose whole secret is the URL (Discord, Microsoft Teams, Teams Workflows,
 * Mattermost): inline `webhook_url` or the file named by `webhook_url_file`, read at send time and trimmed.
 */
import { NotifyError } from '../../types/errors';
import { goEncode } from '../../go/json';
import type { Secret } from '../../types/secret';
import type { HttpSender, SendContext } from './http-sender';

/** The webhook URL (inline or from its file, trimmed); a read failure names the field, never the value. */
export function readWebhookUrl(s: Secret | undefined, field: string): string {
  let url = '';
  try {
    url = s ? s.reveal().trim() : '';
  } catch (e) {
    throw new NotifyError(`read ${field}_file: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, { retryable: false, reason: 'other' });
  }
  if (!url) throw new NotifyError(`${field} is empty`, { retryable: false, reason: 'other' });
  return url;
}

/**
 * One POST of `message` as Go-encoded JSON to `webhook_url` (read now), with the Retrier's rules (http-sender post):
 * the whole send of Discord and both Microsoft Teams notifiers.
 */
export async function postJsonToWebhook(
  sender: HttpSender,
  webhookUrl: Secret | undefined,
  message: unknown,
  ctx: SendContext,
  o: { timeout: number; timeoutLabel: string },
): Promise<void> {
  const url = readWebhookUrl(webhookUrl, 'webhook_url');
  await sender.post(url, goEncode(message), { ctx, timeout: o.timeout, timeoutLabel: o.timeoutLabel, headers: { 'content-type': 'application/json' } });
}
