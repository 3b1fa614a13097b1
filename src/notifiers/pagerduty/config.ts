/**
 * @module notifiers/pagerduty/config
 * `pagerduty_configs` (upstream notify/pagerduty/config.go): routing_key (Events v2) or service_key (v1), url from
 * global.pagerduty_url, default details (toJson lists and counts), source defaults to client. send_resolved: true.
 */
import { given, inherit, inheritHttpConfig, sendResolved, tmpl } from '../../schema/integration-spec';
import { type Decoded, f, objectSchema, secretPair } from '../../schema/schema';
import type { IntegrationGlobals } from '../definition';
import { httpConfigField } from '../shared/http-config';

/** Default `details`, merged per missing key (master ≥0.30). */
export const DEFAULT_PAGERDUTY_DETAILS: Readonly<Record<string, string>> = {
  firing: '{{ .Alerts.Firing | toJson }}',
  resolved: '{{ .Alerts.Resolved | toJson }}',
  num_firing: '{{ .Alerts.Firing | len }}',
  num_resolved: '{{ .Alerts.Resolved | len }}',
};

const imageSchema = objectSchema({ name: 'pagerduty image', fields: { src: f.string(), alt: f.string(), href: f.string() } });
const linkSchema = objectSchema({ name: 'pagerduty link', fields: { href: f.string(), text: f.string() } });

export const pagerdutySchema = objectSchema({
  name: 'pagerduty_config',
  fields: {
    send_resolved: sendResolved(true),
    http_config: httpConfigField(),
    ...secretPair('service_key'),
    ...secretPair('routing_key'),
    url: f.url({ filled: true }),
    client: f.string({ default: tmpl('pagerduty.default.client') }),
    client_url: f.string({ default: tmpl('pagerduty.default.clientURL') }),
    // upstream's default has no space before the closing braces: {{ template "pagerduty.default.description" .}}
    description: f.string({ default: '{{ template "pagerduty.default.description" .}}' }),
    details: f.anyMap({ filled: true }),
    images: f.list(imageSchema),
    links: f.list(linkSchema),
    source: f.string({ filled: true }),
    severity: f.string(),
    class: f.string(),
    component: f.string(),
    group: f.string(),
    timeout: f.duration({ default: 0, go: true }),
  },
  check(o, at) {
    if (!given(o, at, 'routing_key') && !given(o, at, 'service_key')) at.fail('missing service or routing key in PagerDuty config');
    if (o.details !== undefined && (o.details === null || typeof o.details !== 'object' || Array.isArray(o.details))) {
      at.failField('details', 'cannot unmarshal details into map[string]interface {}');
      o.details = {};
    }
    const details = (o.details ?? {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(DEFAULT_PAGERDUTY_DETAILS)) if (!(k in details)) details[k] = v;
    o.details = details;
    if (!o.source) o.source = o.client;
    inheritHttpConfig(o, at);
    inherit(o, at, 'url', 'pagerduty_url');
    if (!given(o, at, 'url')) at.fail('no global PagerDuty URL set');
  },
});

/** The validated settings of one `pagerduty_configs` entry: defaults and global fallbacks applied. */
export type PagerDutySettings = Decoded<typeof pagerdutySchema>;

/** The `global` keys `pagerduty_configs` fall back to (upstream config.go GlobalConfig). */
export const pagerdutyGlobals: IntegrationGlobals = {
  fields: {
    pagerduty_url: f.url({ default: 'https://events.pagerduty.com/v2/enqueue' }),
  },
};
