/**
 * @module notifiers/shared/webhook-url
 * The webhook URL of the notifiers whose whole secret is the URL (Discord, Microsoft Teams, Teams Workflows,
 * Mattermost): inline `webhook_url` or the file named by `webhook_url_file`, read at send time and trimmed.
 */
import { NotifyError } from '../../types/errors';
import type { Secret } from '../../types/secret';

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
