import { integrationErrors, loadIntegration } from '../../config/test-helpers';
import type { Secret } from '../../types/secret';

describe('discord_configs', () => {
  test('defaults', () => {
    const { settings, loaded } = loadIntegration('discord', 'webhook_url: https://discord.com/api/webhooks/1/x');
    expect(settings).toMatchObject({
      send_resolved: true,
      title: '{{ template "discord.default.title" . }}',
      message: '{{ template "discord.default.message" . }}',
    });
    expect(settings.content).toBeUndefined();
    expect((settings.webhook_url as Secret).reveal()).toBe('https://discord.com/api/webhooks/1/x');
    expect(loaded.original).not.toContain('discord.com');
  });
  test('errors', () => {
    expect(integrationErrors('discord', 'title: t')).toEqual(['one of webhook_url or webhook_url_file must be configured']);
    expect(integrationErrors('discord', 'webhook_url: https://d/x\nwebhook_url_file: /f')).toEqual([
      'at most one of webhook_url & webhook_url_file must be configured',
    ]);
    expect(integrationErrors('discord', 'webhook_url: ftp://d/x')).toEqual(['unsupported scheme "ftp" for URL']);
  });
});
