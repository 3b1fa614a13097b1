export { TOKEN_LIFETIME_MS, WechatNotifier } from './notifier';
export { buildWechatMessage } from './payload';
