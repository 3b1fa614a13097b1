/**
 * @module notifiers/msteamsv2/config
 * `msteamsv2_configs` (upstream notify/msteamsv2/config.go, Workflows). send_resolved defaults to true.
 * A partial http_config without proxy_url inherits only global.http_config.proxy_url (config/config.go).
 */
import { cloneValue, defineIntegration, globalOf, type NotifierSettings, sendResolved, tmpl } from '../../config/integration-spec';
import { f, type ObjectSchema, secretPair } from '../../config/schema';
import { httpConfigField } from '../shared/http-config';
import type { Secret } from '../../types/secret';

/** The validated settings of one `msteamsv2_configs` entry (IntegrationConfig.settings), defaults and global fallbacks applied. */
export interface MSTeamsV2Settings extends NotifierSettings {
  webhook_url?: Secret;
  webhook_url_file?: string;
  title: string;
  text: string;
}

export const msteamsv2Schema: ObjectSchema = {
  name: 'msteamsv2_config',
  fields: {
    send_resolved: sendResolved(true),
    http_config: httpConfigField(),
    ...secretPair('webhook_url', 'secret-url'),
    title: f.string({ default: tmpl('msteamsv2.default.title') }),
    text: f.string({ default: tmpl('msteamsv2.default.text') }),
  },
  oneOf: [['webhook_url', 'webhook_url_file', 'one of webhook_url or webhook_url_file must be configured']],
  check(o, at) {
    const g = globalOf(at).http_config as Record<string, unknown> | undefined;
    if (o.http_config === undefined) o.http_config = cloneValue(g);
    else if (o.http_config && g) {
      const h = o.http_config as Record<string, unknown>;
      if (h.proxy_url === undefined && g.proxy_url !== undefined) h.proxy_url = g.proxy_url;
    }
  },
};

export const msteamsv2 = defineIntegration({ type: 'msteamsv2', schema: msteamsv2Schema });
