/**
 * @module notifiers/incidentio/config
 * `incidentio_configs` (upstream notify/incidentio/config.go): url or url_file, alert_source_token (inline or
 * _file) or http_config.authorization, max_alerts, timeout. send_resolved: true.
 */
import { defineIntegration, inheritHttpConfig, type NotifierSettings, sendResolved } from '../../config/integration-spec';
import { f, type ObjectSchema, secretPair } from '../../config/schema';
import { httpConfigField } from '../shared/http-config';
import type { Secret } from '../../types/secret';

/** The validated settings of one `incidentio_configs` entry (IntegrationConfig.settings), defaults and global fallbacks applied. */
export interface IncidentioSettings extends NotifierSettings {
  url?: string;
  url_file?: string;
  alert_source_token?: Secret;
  alert_source_token_file?: string;
  max_alerts: number;
  /** ms; 0 = none */
  timeout: number;
}

export const incidentioSchema: ObjectSchema = {
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
};

export const incidentio = defineIntegration({ type: 'incidentio', schema: incidentioSchema });
