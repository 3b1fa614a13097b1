export { buildWebhookPayload, goTime, quoteMeta } from './payload';
export { WebhookNotifier } from './notifier';
