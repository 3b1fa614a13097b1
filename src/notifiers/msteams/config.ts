/**
 * @module notifiers/msteams/config
 * `msteams_configs` (upstream notify/msteams/config.go, Office 365 connector). send_resolved defaults to true.
 */
import { defineIntegration, inheritHttpConfig, type NotifierSettings, sendResolved, tmpl } from '../../config/integration-spec';
import { f, type ObjectSchema, secretPair } from '../../config/schema';
import { httpConfigField } from '../shared/http-config';
import type { Secret } from '../../types/secret';

/** The validated settings of one `msteams_configs` entry (IntegrationConfig.settings), defaults and global fallbacks applied. */
export interface MSTeamsSettings extends NotifierSettings {
  webhook_url?: Secret;
  webhook_url_file?: string;
  title: string;
  summary: string;
  text: string;
}

export const msteamsSchema: ObjectSchema = {
  name: 'msteams_config',
  fields: {
    send_resolved: sendResolved(true),
    http_config: httpConfigField(),
    ...secretPair('webhook_url', 'secret-url'),
    title: f.string({ default: tmpl('msteams.default.title') }),
    summary: f.string({ default: tmpl('msteams.default.summary') }),
    text: f.string({ default: tmpl('msteams.default.text') }),
  },
  oneOf: [['webhook_url', 'webhook_url_file', 'one of webhook_url or webhook_url_file must be configured']],
  check(o, at) {
    inheritHttpConfig(o, at);
  },
};

export const msteams = defineIntegration({ type: 'msteams', schema: msteamsSchema });
