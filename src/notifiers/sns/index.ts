export { SNSNotifier } from './notifier';
export { buildPublishBody, MAX_MESSAGE_BYTES, MAX_SMS_BYTES } from './payload';
export { resolveCredentials, signV4 } from './sigv4';
