/**
 * @module notifiers/discord/config
 * `discord_configs` (upstream notify/discord/config.go). send_resolved defaults to true.
 */
import { inheritHttpConfig, sendResolved, tmpl } from '../../schema/integration-spec';
import { type Decoded, f, objectSchema, secretPair } from '../../schema/schema';
import { httpConfigField } from '../shared/http-config';

export const discordSchema = objectSchema({
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
});

/** The validated settings of one `discord_configs` entry: defaults and global fallbacks applied. */
export type DiscordSettings = Decoded<typeof discordSchema>;
