/**
 * @module notifiers/incidentio/config
 * `incidentio_configs` (upstream notify/incidentio/config.go): url or url_file, alert_source_token (inline or
 * _file) or http_config.authorization, max_alerts, timeout. send_resolved: true.
 */
import { inheritHttpConfig, sendResolved } from '../../schema/integration-spec';
import { type Decoded, f, objectSchema, secretPair } from '../../schema/schema';
import { httpConfigField } from '../shared/http-config';

export const incidentioSchema = objectSchema({
  name: 'incidentio_config',
  fields: {
    send_resolved: sendResolved(true),
    http_config: httpConfigField(),
    url: f.url(),
    url_file: f.file(),
    ...secretPair('alert_source_token'),
    max_alerts: f.int({ default: 0, min: 0 }),
    timeout: f.duration({ default: 0, go: true }),
  },
  oneOf: [['url', 'url_file', 'one of url or url_file must be configured']],
  exclusive: [['url', 'url_file']],
  check(o, at) {
    const auth = (o.http_config as { authorization?: unknown } | undefined)?.authorization !== undefined;
    const token = o.alert_source_token !== undefined || at.has('alert_source_token') || at.has('alert_source_token_file');
    if (auth && token) at.fail('cannot specify alert_source_token or alert_source_token_file when using http_config.authorization');
    // upstream only demands credentials when a local http_config is given (notify/incidentio/config.go)
    if (at.has('http_config') && !auth && !token) {
      at.fail('at least one of alert_source_token, alert_source_token_file or http_config.authorization must be configured');
    }
    inheritHttpConfig(o, at);
  },
});

/** The validated settings of one `incidentio_configs` entry: defaults and global fallbacks applied. */
export type IncidentioSettings = Decoded<typeof incidentioSchema>;
