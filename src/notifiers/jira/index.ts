import { defineIntegration } from '../definition';
import { templatedNotifierDeps } from '../shared/render';
import { jiraGlobals, jiraSchema } from './config';
import { RETRY_CODES } from './notifier';

export { buildIssueFields, issueBody, MAX_DESCRIPTION_RUNES, MAX_SUMMARY_RUNES, searchJql, searchRequest } from './payload';

// the implementation (and what only it needs, e.g. nodemailer) loads when a config first uses it
/** `jira_configs` */
export const jira = defineIntegration({
  type: 'jira',
  schema: jiraSchema,
  globals: jiraGlobals,
  retryCodes: () => RETRY_CODES,
  create: (cfg, d) => new (require('./notifier') as typeof import('./notifier')).JiraNotifier(cfg, templatedNotifierDeps(d)),
});
