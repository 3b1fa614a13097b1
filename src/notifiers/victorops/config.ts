/**
 * @module notifiers/victorops/config
 * `victorops_configs` (upstream config/notifiers.go VictorOpsConfig and config.go): routing_key required,
 * api_key/api_key_file (global victorops_api_key), api_url (global, trailing slash), custom_fields without
 * reserved names. send_resolved: true.
 */
import { given, globalOf, inheritHttpConfig, sendResolved, tmpl } from '../../schema/integration-spec';
import { type Decoded, f, objectSchema, secretPair } from '../../schema/schema';
import type { IntegrationGlobals } from '../definition';
import { httpConfigField } from '../shared/http-config';

const RESERVED = ['routing_key', 'message_type', 'state_message', 'entity_display_name', 'monitoring_tool', 'entity_id', 'entity_state'];

export const victoropsSchema = objectSchema({
  name: 'victorops_config',
  fields: {
    send_resolved: sendResolved(true),
    http_config: httpConfigField(),
    ...secretPair('api_key', f.secret({ filled: true })),
    api_url: f.url({ filled: true }),
    routing_key: f.string({ required: 'missing Routing key in VictorOps config' }),
    message_type: f.string({ default: 'CRITICAL' }),
    state_message: f.string({ default: tmpl('victorops.default.state_message') }),
    entity_display_name: f.string({ default: tmpl('victorops.default.entity_display_name') }),
    monitoring_tool: f.string({ default: tmpl('victorops.default.monitoring_tool') }),
    custom_fields: f.stringMap(),
  },
  check(o, at) {
    const custom = (o.custom_fields ?? {}) as Record<string, string>;
    for (const r of RESERVED) {
      if (r in custom) {
        at.failField('custom_fields', `victorOps config contains custom field ${r} which cannot be used as it conflicts with the fixed/static fields`);
      }
    }
    inheritHttpConfig(o, at);
    const g = globalOf(at);
    if (!given(o, at, 'api_url')) o.api_url = g.victorops_api_url;
    if (!given(o, at, 'api_url')) at.fail('no global VictorOps URL set');
    if (typeof o.api_url === 'string' && !new URL(o.api_url).pathname.endsWith('/')) o.api_url = `${o.api_url}/`;
    if (!given(o, at, 'api_key')) {
      if (g.victorops_api_key !== undefined) o.api_key = g.victorops_api_key;
      if (g.victorops_api_key_file !== undefined) o.api_key_file = g.victorops_api_key_file;
    }
    if (!given(o, at, 'api_key')) at.fail('no global VictorOps API Key set', 'set api_key (or api_key_file) here, or victorops_api_key in the global block');
  },
});

/** The validated settings of one `victorops_configs` entry: defaults and global fallbacks applied. */
export type VictorOpsSettings = Decoded<typeof victoropsSchema>;

/** The `global` keys `victorops_configs` fall back to (upstream config.go GlobalConfig). */
export const victoropsGlobals: IntegrationGlobals = {
  fields: {
    victorops_api_url: f.url({ default: 'https://alert.victorops.com/integrations/generic/20131114/alert/' }),
    ...secretPair('victorops_api_key'),
  },
};
