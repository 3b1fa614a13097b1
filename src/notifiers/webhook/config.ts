/**
 * @module notifiers/webhook/config
 * `webhook_configs` (upstream notify/webhook/config.go): url (secret, templatable) or url_file, max_alerts,
 * timeout, payload. send_resolved defaults to true.
 */
import { defineIntegration, inheritHttpConfig, type NotifierSettings, sendResolved } from '../../config/integration-spec';
import { f, type ObjectSchema, secretPair } from '../../config/schema';
import { httpConfigField } from '../shared/http-config';
import type { Secret } from '../../types/secret';

/** The validated settings of one `webhook_configs` entry (IntegrationConfig.settings), defaults and global fallbacks applied. */
export interface WebhookSettings extends NotifierSettings {
  url?: Secret;
  url_file?: string;
  max_alerts: number;
  /** ms; 0 = none */
  timeout: number;
  /** free-form YAML whose string keys/values are templates (§9.6) */
  payload?: unknown;
}

export const webhookSchema: ObjectSchema = {
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
};

export const webhook = defineIntegration({ type: 'webhook', schema: webhookSchema });
