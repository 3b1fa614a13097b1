import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { NotifyError } from '../../types/errors';
import { runNotifierContract, standardGoldens } from '../contract';
import { useFakeReceiver } from '../testing/fake-receiver';
import { FIRING, integrationConfig, MIXED, notifyContext, RESOLVED, templatedDeps, type TestDepsOptions } from '../testing/fixtures';
import { MSTeamsNotifier } from './notifier';
import { buildMSTeamsMessage } from './payload';

const GOLDEN = resolve(__dirname, '../../../test/fixtures/notifiers/msteams');
const SECRET = 'IncomingWebhook/abc123/def-secret';

function msteams(item: Record<string, unknown>, o: TestDepsOptions = {}) {
  return new MSTeamsNotifier(integrationConfig('msteams', item), templatedDeps(o));
}
const everyField = (url: string) => ({
  webhook_url: `${url}/${SECRET}`,
  title: '{{ .Status | toUpper }}: {{ .GroupLabels.alertname }} <b>',
  summary: 'summary {{ len .Alerts.Firing }}/{{ len .Alerts }}',
  text: '{{ range .Alerts }}* {{ .Labels.instance }}\n{{ end }}',
});

runNotifierContract({
  name: 'msteams',
  create: ({ url, userAgent, timeout, logger }) => msteams({ webhook_url: `${url}/${SECRET}` }, { userAgent, logger, timeout }),
  secrets: [SECRET],
  expectRequest: (r) => expect(r.url).toBe(`/${SECRET}`),
  goldens: standardGoldens(GOLDEN, ({ url, userAgent, logger }) => msteams(everyField(url), { userAgent, logger })),
});

describe('MSTeamsNotifier', () => {
  const srv = useFakeReceiver();

  test('notify() reads webhook_url_file at send time (trimmed)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teams-'));
    try {
      const f = join(dir, 'url');
      writeFileSync(f, `${srv.url}/one\n`);
      const n = msteams({ webhook_url_file: f });
      await n.notify(notifyContext(), FIRING);
      writeFileSync(f, `  ${srv.url}/two  `);
      await n.notify(notifyContext(), FIRING);
      expect(srv.requests.map((r) => r.url)).toEqual(['/one', '/two']);
      rmSync(f);
      const e = await n.notify(notifyContext(), FIRING).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(NotifyError);
      expect((e as NotifyError).message).toBe('read webhook_url_file: ENOENT');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('buildMSTeamsMessage', () => {
  const r = { text: (s: string) => s };
  test('themeColor is 8C1A1A when any alert fires, 2DC72D when all are resolved', () => {
    const now = notifyContext().now;
    expect(buildMSTeamsMessage({}, r, MIXED, now).themeColor).toBe('8C1A1A');
    expect(buildMSTeamsMessage({}, r, RESOLVED, now).themeColor).toBe('2DC72D');
  });
  test('every field is present even when empty, in Go struct order', () => {
    expect(JSON.stringify(buildMSTeamsMessage({}, r, FIRING, 0))).toBe('{"@context":"http://schema.org/extensions","type":"MessageCard","title":"","summary":"","text":"","themeColor":"8C1A1A"}');
  });
  test('a long text is not truncated', () => {
    expect(buildMSTeamsMessage({ text: 'x'.repeat(100_000) }, r, FIRING, 0).text).toHaveLength(100_000);
  });
});
