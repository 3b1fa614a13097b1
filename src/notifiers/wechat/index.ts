import { defineIntegration } from '../definition';
import { templatedNotifierDeps } from '../shared/render';
import { wechatGlobals, wechatSchema } from './config';
import { WechatNotifier } from './notifier';

export { TOKEN_LIFETIME_MS, WechatNotifier } from './notifier';
export { buildWechatMessage } from './payload';

/** `wechat_configs` */
export const wechat = defineIntegration({
  type: 'wechat',
  schema: wechatSchema,
  globals: wechatGlobals,
  nullItem: false,
  create: (cfg, d) => new WechatNotifier(cfg, templatedNotifierDeps(d)),
});
