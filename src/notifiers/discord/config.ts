/**
 * @module notifiers/discord/config
 * `discord_configs` (upstream notify/discord/config.go). send_resolved defaults to true.
 */
import { defineIntegration, inheritHttpConfig, type NotifierSettings, sendResolved, tmpl } from '../../config/integration-spec';
import { f, type ObjectSchema, secretPair } from '../../config/schema';
import { httpConfigField } from '../shared/http-config';
import type { Secret } from '../../types/secret';

/** The validated settings of one `discord_configs` entry (IntegrationConfig.settings), defaults and global fallbacks applied. */
export interface DiscordSettings extends NotifierSettings {
  webhook_url?: Secret;
  webhook_url_file?: string;
  content?: string;
  title: string;
  message: string;
  username?: string;
  avatar_url?: string;
}

export const discordSchema: ObjectSchema = {
  name: 'discord_config',
  fields: {
    send_resolved: sendResolved(true),
    http_config: httpConfigField(),
    ...secretPair('webhook_url', 'secret-url'),
    content: f.string(),
    title: f.string({ default: tmpl('discord.default.title') }),
    message: f.string({ default: tmpl('discord.default.message') }),
    username: f.string(),
    avatar_url: f.string(),
  },
  oneOf: [['webhook_url', 'webhook_url_file', 'one of webhook_url or webhook_url_file must be configured']],
  check(o, at) {
    inheritHttpConfig(o, at);
  },
};

export const discord = defineIntegration({ type: 'discord', schema: discordSchema });
