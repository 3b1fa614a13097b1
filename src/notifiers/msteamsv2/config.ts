/**
 * @module notifiers/msteamsv2/config
 * `msteamsv2_configs` (upstream notify/msteamsv2/config.go, Workflows). send_resolved defaults to true.
 * A partial http_config without proxy_url inherits only global.http_config.proxy_url (config/config.go).
 */
import { cloneValue, globalOf, sendResolved, tmpl } from '../../schema/integration-spec';
import { type Decoded, f, objectSchema, secretPair } from '../../schema/schema';
import { httpConfigField } from '../shared/http-config';

export const msteamsv2Schema = objectSchema({
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
});

/** The validated settings of one `msteamsv2_configs` entry: defaults and global fallbacks applied. */
export type MSTeamsV2Settings = Decoded<typeof msteamsv2Schema>;
