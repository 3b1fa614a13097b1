/**
 * @module notifiers/jira/config
 * `jira_configs` (upstream notify/jira/config.go): project and issue_type required, api_type auto|cloud|datacenter,
 * api_url from global.jira_api_url. `summary`/`description` accept a template string or {template, enable_update}.
 * send_resolved: true.
 */
import { isScalar } from 'yaml';
import { given, inherit, inheritHttpConfig, sendResolved, tmpl } from '../../schema/integration-spec';
import { type Decoded, decodeObject, f, type Field, objectSchema } from '../../schema/schema';
import type { IntegrationGlobals } from '../definition';
import { httpConfigField } from '../shared/http-config';

const fieldConfigSchema = objectSchema({
  name: 'jira field config',
  fields: { template: f.string(), enable_update: f.bool() },
});

/** A summary or description: its template, and whether an update rewrites it. */
export type JiraFieldConfig = Decoded<typeof fieldConfigSchema>;

/** JiraFieldConfig: a plain string is the template. */
function jiraField(defaultTemplate: string): Field<JiraFieldConfig> & { readonly present: true } {
  return {
    kind: 'jira-field',
    present: true,
    default: () => ({ template: defaultTemplate }),
    decode(node, at) {
      if (isScalar(node)) return { template: node.value === null ? '' : String(node.source ?? node.value) };
      return decodeObject(node, fieldConfigSchema, at);
    },
    encode: (v) => v,
  };
}

export const jiraSchema = objectSchema({
  name: 'jira_config',
  fields: {
    send_resolved: sendResolved(true),
    http_config: httpConfigField(),
    api_url: f.url({ filled: true }),
    api_type: f.string({ default: 'auto' }),
    project: f.string({ required: 'missing project in jira_config' }),
    summary: jiraField(tmpl('jira.default.summary')),
    description: jiraField(tmpl('jira.default.description')),
    labels: f.stringList(),
    priority: f.string({ default: tmpl('jira.default.priority') }),
    issue_type: f.string({ required: 'missing issue_type in jira_config' }),
    reopen_transition: f.string(),
    resolve_transition: f.string(),
    wont_fix_resolution: f.string(),
    reopen_duration: f.duration(),
    fields: f.anyMap(),
  },
  check(o, at) {
    if (o.api_type !== 'auto' && o.api_type !== 'cloud' && o.api_type !== 'datacenter') {
      at.failField('api_type', 'unknown api_type on jira_config, must be auto, cloud or datacenter');
    }
    inheritHttpConfig(o, at);
    inherit(o, at, 'api_url', 'jira_api_url');
    if (!given(o, at, 'api_url')) at.fail('no global Jira Cloud URL set', 'set api_url here or jira_api_url in the global block');
  },
});

/** The validated settings of one `jira_configs` entry: defaults and global fallbacks applied. */
export type JiraSettings = Decoded<typeof jiraSchema>;

/** The `global` keys `jira_configs` fall back to (upstream config.go GlobalConfig). */
export const jiraGlobals: IntegrationGlobals = {
  fields: {
    jira_api_url: f.url(),
  },
};
