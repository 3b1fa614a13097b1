export { buildEmailMessage, parseAddressList, qEncode, quotedPrintable } from './payload';
export { EmailNotifier } from './notifier';
