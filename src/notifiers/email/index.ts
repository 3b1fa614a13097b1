import { defineIntegration } from '../definition';
import { rendererFactory } from '../shared/render';
import { emailGlobals, emailSchema } from './config';

export { buildEmailMessage, parseAddressList, qEncode, quotedPrintable } from './payload';

// the implementation (and what only it needs, e.g. nodemailer) loads when a config first uses it
/** `email_configs` */
export const email = defineIntegration({
  type: 'email',
  schema: emailSchema,
  globals: emailGlobals,
  create: (cfg, d) => new (require('./notifier') as typeof import('./notifier')).EmailNotifier(cfg, { logger: d.logger, render: rendererFactory(d.renderText, d.renderHtml) }),
});
