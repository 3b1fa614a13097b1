import { defineIntegration } from '../definition';
import { templatedNotifierDeps } from '../shared/render';
import { discordSchema } from './config';
import { DiscordNotifier } from './notifier';

export { DiscordNotifier } from './notifier';
export { buildDiscordMessage, MAX_CONTENT_RUNES, MAX_DESCRIPTION_RUNES, MAX_TITLE_RUNES } from './payload';

/** `discord_configs` */
export const discord = defineIntegration({
  type: 'discord',
  schema: discordSchema,
  create: (cfg, d) => new DiscordNotifier(cfg, templatedNotifierDeps(d)),
});
