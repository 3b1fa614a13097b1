import { defineIntegration } from '../definition';
import { rendererFactory } from '../shared/render';
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
  create: (cfg, d) => new JiraNotifier(cfg, { userAgent: d.userAgent, logger: d.logger, render: rendererFactory(d.renderText, d.renderHtml) }),
});
