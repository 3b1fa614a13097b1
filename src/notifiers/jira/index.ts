export { JiraNotifier } from './notifier';
export { buildIssueFields, issueBody, MAX_DESCRIPTION_RUNES, MAX_SUMMARY_RUNES, searchJql, searchRequest } from './payload';
