import { defineIntegration } from '../definition';
import { templatedNotifierDeps } from '../shared/render';
import { jiraGlobals, jiraSchema } from './config';
import { JiraNotifier, RETRY_CODES } from './notifier';

export { JiraNotifier } from './notifier';
export { buildIssueFields, issueBody, MAX_DESCRIPTION_RUNES, MAX_SUMMARY_RUNES, searchJql, searchRequest } from './payload';

/** `jira_configs` */
export const jira = defineIntegration({
  type: 'jira',
  schema: jiraSchema,
  globals: jiraGlobals,
  retryCodes: () => RETRY_CODES,
  create: (cfg, d) => new JiraNotifier(cfg, templatedNotifierDeps(d)),
});
