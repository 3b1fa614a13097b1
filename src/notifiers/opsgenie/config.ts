/**
 * @module notifiers/opsgenie/config
 * `opsgenie_configs` (upstream notify/opsgenie/config.go and config.go): api_key/api_key_file (global
 * opsgenie_api_key), api_url (global opsgenie_api_url, trailing slash enforced), responders. send_resolved: true.
 */
import { given, globalOf, inheritHttpConfig, sendResolved, tmpl } from '../../schema/integration-spec';
import { templateSyntaxError } from '../../schema/deps';
import { type Decoded, f, objectSchema, secretPair } from '../../schema/schema';
import type { IntegrationGlobals } from '../definition';
import { httpConfigField } from '../shared/http-config';

const VALID_TYPES_RE = '^(team|teams|user|escalation|schedule)$';

const responderSchema = objectSchema({
  name: 'opsgenie responder',
  fields: { id: f.string(), name: f.string(), username: f.string(), type: f.string() },
  check(o, at) {
    // Go's %v of the struct: {id name username type}
    const shown = `{${o.id ?? ''} ${o.name ?? ''} ${o.username ?? ''} ${o.type ?? ''}}`;
    if (!o.id && !o.username && !o.name) {
      at.fail(`opsGenieConfig responder ${shown} has to have at least one of id, username or name specified`);
      return;
    }
    const type = (o.type as string | undefined) ?? '';
    if (type.includes('{{')) {
      // templated: rendered per notification; only the syntax is checked here
      const err = templateSyntaxError(type);
      if (err) at.failField('type', `opsGenieConfig responder ${shown} type contains invalid template syntax: ${err}`);
      return;
    }
    // upstream lower-cases a copy while validating (`for _, r := range`): the type is sent as written
    if (!new RegExp(VALID_TYPES_RE).test(type.toLowerCase())) {
      at.failField('type', `opsGenieConfig responder ${shown} type does not match valid options ${VALID_TYPES_RE}`);
    }
  },
});

export const opsgenieSchema = objectSchema({
  name: 'opsgenie_config',
  fields: {
    send_resolved: sendResolved(true),
    http_config: httpConfigField(),
    ...secretPair('api_key', f.secret({ filled: true })),
    api_url: f.url({ filled: true }),
    message: f.string({ default: tmpl('opsgenie.default.message') }),
    description: f.string({ default: tmpl('opsgenie.default.description') }),
    source: f.string({ default: tmpl('opsgenie.default.source') }),
    details: f.stringMap(),
    entity: f.string(),
    responders: f.list(responderSchema),
    actions: f.string(),
    tags: f.string(),
    note: f.string(),
    priority: f.string(),
    update_alerts: f.bool({ default: false }),
  },
  check(o, at) {
    inheritHttpConfig(o, at);
    const g = globalOf(at);
    if (!given(o, at, 'api_url')) o.api_url = g.opsgenie_api_url;
    if (!given(o, at, 'api_url')) at.fail('no global OpsGenie URL set');
    if (typeof o.api_url === 'string' && !new URL(o.api_url).pathname.endsWith('/')) o.api_url = `${o.api_url}/`;
    if (!given(o, at, 'api_key')) {
      if (g.opsgenie_api_key !== undefined) o.api_key = g.opsgenie_api_key;
      if (g.opsgenie_api_key_file !== undefined) o.api_key_file = g.opsgenie_api_key_file;
    }
    if (!given(o, at, 'api_key')) at.fail('no global OpsGenie API Key set either inline or in a file', 'set api_key (or api_key_file) here, or opsgenie_api_key in the global block');
  },
});

/** The validated settings of one `opsgenie_configs` entry: defaults and global fallbacks applied. */
export type OpsGenieSettings = Decoded<typeof opsgenieSchema>;

/** The `global` keys `opsgenie_configs` fall back to (upstream config.go GlobalConfig). */
export const opsgenieGlobals: IntegrationGlobals = {
  fields: {
    opsgenie_api_url: f.url({ default: 'https://api.opsgenie.com/' }),
    ...secretPair('opsgenie_api_key'),
  },
};
