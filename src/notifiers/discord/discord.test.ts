import { resolve } from 'node:path';
import { runNotifierContract, standardGoldens } from '../contract';
import { useFakeReceiver } from '../testing/fake-receiver';
import { FIRING, integrationConfig, notifyContext, recordingLogger, RESOLVED, templatedDeps, type TestDepsOptions } from '../testing/fixtures';
import { DiscordNotifier } from './notifier';
import { buildDiscordMessage, MAX_CONTENT_RUNES, MAX_DESCRIPTION_RUNES, MAX_TITLE_RUNES } from './payload';

const GOLDEN = resolve(__dirname, '../../../test/fixtures/notifiers/discord');
const SECRET = 'api/webhooks/123456/tok-EN_secret';

function discord(item: Record<string, unknown>, o: TestDepsOptions = {}) {
  return new DiscordNotifier(integrationConfig('discord', item), templatedDeps(o));
}
const everyField = (url: string) => ({
  webhook_url: `${url}/${SECRET}`,
  title: '{{ .Status | title }} {{ .GroupLabels.alertname }}',
  message: '{{ range .Alerts }}{{ .Labels.instance }} {{ .Status }}\n{{ end }}',
  content: '<@&role> {{ len .Alerts.Firing }} firing',
  username: 'am-{{ not templated }}',
  avatar_url: 'https://img.example/a.png',
});

runNotifierContract({
  name: 'discord',
  create: ({ url, userAgent, timeout, logger }) => discord({ webhook_url: `${url}/${SECRET}` }, { userAgent, logger, timeout }),
  secrets: [SECRET],
  expectRequest: (r) => expect(r.url).toBe(`/${SECRET}`),
  goldens: standardGoldens(GOLDEN, ({ url, userAgent, logger }) => discord(everyField(url), { userAgent, logger })),
});

describe('DiscordNotifier', () => {
  const srv = useFakeReceiver();

  test('notify() truncates title, description and content at their limits and logs it', async () => {
    const rec = recordingLogger();
    await discord({ webhook_url: `${srv.url}/x`, title: 'T'.repeat(300), message: 'M'.repeat(5000), content: 'C'.repeat(2001) }, { logger: rec.logger }).notify(notifyContext(), FIRING);
    const body = JSON.parse(srv.requests[0]!.body) as { content: string; embeds: { title: string; description: string }[] };
    expect(body.embeds[0]!.title).toBe(`${'T'.repeat(255)}…`);
    expect(body.embeds[0]!.description).toBe(`${'M'.repeat(4095)}…`);
    expect(body.content).toBe(`${'C'.repeat(1999)}…`);
    const log = rec.lines.join('');
    expect(log).toContain('Truncated title');
    expect(log).toContain('Truncated message');
  });
});

describe('buildDiscordMessage', () => {
  const r = { text: (s: string) => s };
  const now = notifyContext().now;
  test.each([
    ['title', MAX_TITLE_RUNES],
    ['message', MAX_DESCRIPTION_RUNES],
    ['content', MAX_CONTENT_RUNES],
  ] as const)('%s of exactly %i runes (astral) is kept; one more is cut to the limit ending in …', (field, max) => {
    const exact = buildDiscordMessage({ [field]: '😀'.repeat(max) }, r, FIRING, now);
    expect(exact.truncated).toEqual([]);
    const over = buildDiscordMessage({ [field]: '😀'.repeat(max + 1) }, r, FIRING, now);
    expect(over.truncated).toEqual([{ field, maxRunes: max }]);
    const m = over.message;
    const got = field === 'title' ? m.embeds[0]!.title : field === 'message' ? m.embeds[0]!.description : m.content;
    expect(Array.from(got)).toHaveLength(max);
    expect(got.endsWith('😀…')).toBe(true);
  });
  test('content and embeds always present; username and avatar_url only when set; colours', () => {
    expect(JSON.stringify(buildDiscordMessage({}, r, FIRING, now).message)).toBe('{"content":"","embeds":[{"title":"","description":"","color":10038562}]}');
    expect(buildDiscordMessage({}, r, RESOLVED, now).message.embeds[0]!.color).toBe(3066993);
  });
  test('an avatar_url Go cannot parse is dropped and reported', () => {
    const b = buildDiscordMessage({ avatar_url: 'http://x/%zz' }, r, FIRING, now);
    expect(b.badAvatarUrl).toBe(true);
    expect('avatar_url' in b.message).toBe(false);
  });
});
