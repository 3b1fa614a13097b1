import { defineIntegration } from '../definition';
import { templatedNotifierDeps } from '../shared/render';
import { discordSchema } from './config';

export { buildDiscordMessage, MAX_CONTENT_RUNES, MAX_DESCRIPTION_RUNES, MAX_TITLE_RUNES } from './payload';

// the implementation (and what only it needs, e.g. nodemailer) loads when a config first uses it
/** `discord_configs` */
export const discord = defineIntegration({
  type: 'discord',
  schema: discordSchema,
  create: (cfg, d) => new (require('./notifier') as typeof import('./notifier')).DiscordNotifier(cfg, templatedNotifierDeps(d)),
});
