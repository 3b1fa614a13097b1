import { defineIntegration } from '../definition';
import { rendererFactory } from '../shared/render';
import { emailGlobals, emailSchema } from './config';
import { EmailNotifier } from './notifier';

export { buildEmailMessage, parseAddressList, qEncode, quotedPrintable } from './payload';
export { EmailNotifier } from './notifier';

/** `email_configs` */
export const email = defineIntegration({
  type: 'email',
  schema: emailSchema,
  globals: emailGlobals,
  create: (cfg, d) => new EmailNotifier(cfg, { logger: d.logger, render: rendererFactory(d.renderText, d.renderHtml) }),
});
