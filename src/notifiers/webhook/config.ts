/**
 * @module notifiers/webhook/config
 * `webhook_configs` (upstream notify/webhook/config.go): url (secret, templatable) or url_file, max_alerts,
 * timeout, payload. send_resolved defaults to true.
 */
import { inheritHttpConfig, sendResolved } from '../../schema/integration-spec';
import { type Decoded, f, objectSchema, secretPair } from '../../schema/schema';
import { httpConfigField } from '../shared/http-config';

export const webhookSchema = objectSchema({
  name: 'webhook_config',
  fields: {
    send_resolved: sendResolved(true),
    http_config: httpConfigField(),
    ...secretPair('url', f.secretTemplateUrl()),
    max_alerts: f.int({ default: 0, min: 0 }),
    timeout: f.duration({ default: 0, go: true }),
    payload: f.any(),
  },
  oneOf: [['url', 'url_file', 'one of url or url_file must be configured']],
  check(o, at) {
    inheritHttpConfig(o, at);
  },
});

/** The validated settings of one `webhook_configs` entry: defaults and global fallbacks applied. */
export type WebhookSettings = Decoded<typeof webhookSchema>;
