import { defineIntegration } from '../definition';
import { templatedNotifierDeps } from '../shared/render';
import { wechatGlobals, wechatSchema } from './config';

export { TOKEN_LIFETIME_MS } from './notifier';
export { buildWechatMessage } from './payload';

// the implementation (and what only it needs, e.g. nodemailer) loads when a config first uses it
/** `wechat_configs` */
export const wechat = defineIntegration({
  type: 'wechat',
  schema: wechatSchema,
  globals: wechatGlobals,
  nullItem: false,
  create: (cfg, d) => new (require('./notifier') as typeof import('./notifier')).WechatNotifier(cfg, templatedNotifierDeps(d)),
});
