export { DiscordNotifier } from './notifier';
export { buildDiscordMessage, MAX_CONTENT_RUNES, MAX_DESCRIPTION_RUNES, MAX_TITLE_RUNES } from './payload';
