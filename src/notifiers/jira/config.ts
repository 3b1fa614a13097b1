/**
 * @module notifiers/jira/config
 * `jira_configs` (upstream notify/jira/config.go): project and issue_type required, api_type auto|cloud|datacenter,
 * api_url from global.jira_api_url. `summary`/`description` accept a template string or {template, enable_update}.
 * send_resolved: true.
 */
import { isScalar } from 'yaml';
import { defineIntegration, given, inherit, inheritHttpConfig, type NotifierSettings, sendResolved, tmpl } from '../../config/integration-spec';
import { decodeObject, f, type Field, type ObjectSchema } from '../../config/schema';
import { httpConfigField } from '../shared/http-config';

const fieldConfigSchema: ObjectSchema = {
  name: 'jira field config',
  fields: { template: f.string(), enable_update: f.bool() },
};

/** JiraFieldConfig: a plain string is the template. */
function jiraField(defaultTemplate: string): Field<Record<string, unknown>> {
  return {
    kind: 'jira-field',
    default: () => ({ template: defaultTemplate }),
    decode(node, at) {
      if (isScalar(node)) return { template: node.value === null ? '' : String(node.source ?? node.value) };
      return decodeObject(node, fieldConfigSchema, at);
    },
    encode: (v) => v,
  };
}

/** The validated settings of one `jira_configs` entry (IntegrationConfig.settings), defaults and global fallbacks applied. */
export interface JiraSettings extends NotifierSettings {
  api_url: string;
  api_type: 'auto' | 'cloud' | 'datacenter';
  project: string;
  summary: { template: string; enable_update?: boolean };
  description: { template: string; enable_update?: boolean };
  labels?: string[];
  priority: string;
  issue_type: string;
  reopen_transition?: string;
  resolve_transition?: string;
  wont_fix_resolution?: string;
  /** ms */
  reopen_duration?: number;
  /** custom fields, free-form YAML */
  fields?: Record<string, unknown>;
}

export const jiraSchema: ObjectSchema = {
  name: 'jira_config',
  fields: {
    send_resolved: sendResolved(true),
    http_config: httpConfigField(),
    api_url: f.url(),
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
    fields: f.any(),
  },
  check(o, at) {
    if (o.api_type !== 'auto' && o.api_type !== 'cloud' && o.api_type !== 'datacenter') {
      at.failField('api_type', 'unknown api_type on jira_config, must be auto, cloud or datacenter');
    }
    inheritHttpConfig(o, at);
    inherit(o, at, 'api_url', 'jira_api_url');
    if (!given(o, at, 'api_url')) at.fail('no global Jira Cloud URL set', 'set api_url here or jira_api_url in the global block');
  },
};

export const jira = defineIntegration({ type: 'jira', schema: jiraSchema });
