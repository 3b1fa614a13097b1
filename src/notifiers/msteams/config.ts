/**
 * @module notifiers/msteams/config
 * `msteams_configs` (upstream notify/msteams/config.go, Office 365 connector). send_resolved defaults to true.
 */
import { inheritHttpConfig, sendResolved, tmpl } from '../../schema/integration-spec';
import { type Decoded, f, objectSchema, secretPair } from '../../schema/schema';
import { httpConfigField } from '../shared/http-config';

export const msteamsSchema = objectSchema({
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
});

/** The validated settings of one `msteams_configs` entry: defaults and global fallbacks applied. */
export type MSTeamsSettings = Decoded<typeof msteamsSchema>;
