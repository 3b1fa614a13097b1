export { WebexNotifier } from './notifier';
export { buildWebexMessage, MAX_MESSAGE_BYTES } from './payload';
