/**
 * @module notifiers/webex/config
 * `webex_configs` (upstream config/notifiers.go WebexConfig). room_id and http_config.authorization are required;
 * api_url falls back to global.webex_api_url. send_resolved defaults to true.
 */
import { given, inherit, inheritHttpConfig, sendResolved, tmpl } from '../../schema/integration-spec';
import { type Decoded, f, objectSchema } from '../../schema/schema';
import type { IntegrationGlobals } from '../definition';
import { httpConfigField } from '../shared/http-config';

export const webexSchema = objectSchema({
  name: 'webex_config',
  fields: {
    send_resolved: sendResolved(true),
    http_config: httpConfigField(),
    api_url: f.url({ filled: true }),
    message: f.string({ default: tmpl('webex.default.message') }),
    room_id: f.string({ required: 'missing room_id on webex_config' }),
  },
  check(o, at) {
    const h = o.http_config as Record<string, unknown> | undefined;
    if (!at.has('http_config') || (h && h.authorization === undefined)) {
      at.failField('http_config', 'missing webex_configs.http_config.authorization');
    }
    inheritHttpConfig(o, at);
    inherit(o, at, 'api_url', 'webex_api_url');
    if (!given(o, at, 'api_url')) at.fail('no global Webex URL set');
  },
});

/** The validated settings of one `webex_configs` entry: defaults and global fallbacks applied. */
export type WebexSettings = Decoded<typeof webexSchema>;

/** The `global` keys `webex_configs` fall back to (upstream config.go GlobalConfig). */
export const webexGlobals: IntegrationGlobals = {
  fields: {
    webex_api_url: f.url({ default: 'https://webexapis.com/v1/messages' }),
  },
};
