/**
 * @module notifiers/pushover/config
 * `pushover_configs` (upstream notify/pushover/config.go): user_key and token (each inline or _file), retry 1m,
 * expire 1h (Go durations), html and monospace exclusive. send_resolved: true.
 */
import { inheritHttpConfig, sendResolved, tmpl } from '../../schema/integration-spec';
import { type Decoded, f, objectSchema, secretPair } from '../../schema/schema';
import { httpConfigField } from '../shared/http-config';

export const pushoverSchema = objectSchema({
  name: 'pushover_config',
  fields: {
    send_resolved: sendResolved(true),
    http_config: httpConfigField(),
    ...secretPair('user_key', f.secret({ filled: true })),
    ...secretPair('token', f.secret({ filled: true })),
    title: f.string({ default: tmpl('pushover.default.title') }),
    message: f.string({ default: tmpl('pushover.default.message') }),
    url: f.string({ default: tmpl('pushover.default.url') }),
    url_title: f.string(),
    device: f.string(),
    sound: f.string(),
    priority: f.string({ default: '{{ if eq .Status "firing" }}2{{ else }}0{{ end }}' }),
    retry: f.duration({ default: 60_000, go: true }),
    expire: f.duration({ default: 3_600_000, go: true }),
    ttl: f.duration({ go: true }),
    html: f.bool({ default: false }),
    monospace: f.bool({ default: false }),
  },
  oneOf: [
    ['user_key', 'user_key_file', 'one of user_key or user_key_file must be configured'],
    ['token', 'token_file', 'one of token or token_file must be configured'],
  ],
  check(o, at) {
    if (o.html === true && o.monospace === true) at.failField('monospace', 'at most one of monospace & html must be configured');
    inheritHttpConfig(o, at);
  },
});

/** The validated settings of one `pushover_configs` entry: defaults and global fallbacks applied. */
export type PushoverSettings = Decoded<typeof pushoverSchema>;
