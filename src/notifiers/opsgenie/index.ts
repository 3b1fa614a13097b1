export { OpsGenieNotifier } from './notifier';
export { buildOpsGenieRequests, groupKeyHash, MAX_MESSAGE_RUNES, safeSplit } from './payload';
