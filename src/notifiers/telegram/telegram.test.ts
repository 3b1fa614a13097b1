import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { NotifyError } from '../../types/errors';
import { runNotifierContract } from '../contract';
import { useFakeReceiver } from '../testing/fake-receiver';
import { FIRING, integrationConfig, MIXED, notifyContext, RESOLVED, templatedDeps, type TestDepsOptions } from '../testing/fixtures';
import { telegram as definition } from './index';
import { TelegramNotifier } from './notifier';
import { buildTelegramRequest, MAX_MESSAGE_RUNES, TOO_LONG_HTML_MESSAGE } from './payload';

const GOLDEN = resolve(__dirname, '../../../test/fixtures/notifiers/telegram');
const SECRET = '123456:AAE-telegram-bot-secret';
const OK = { body: '{"ok":true,"result":{"message_id":7,"chat":{"id":-1001}}}', headers: { 'content-type': 'application/json' } };
/** every non-2xx, non-5xx status the contract tries: upstream retries every Telegram failure (telegram.go returns true with every error) */

function telegram(item: Record<string, unknown>, o: TestDepsOptions = {}) {
  return new TelegramNotifier(integrationConfig('telegram', { bot_token: SECRET, chat_id: -1001, ...item }), templatedDeps(o));
}
const everyField = (url: string) => ({
  api_url: url,
  chat_id: -100123456789,
  message_thread_id: 42,
  message: '<b>{{ .Status }}</b> {{ .CommonLabels.job }} & "{{ .GroupLabels.alertname }}"',
  disable_notifications: true,
  parse_mode: 'MarkdownV2',
});

runNotifierContract({
  name: 'telegram',
  create: ({ url, userAgent, timeout, logger }) => telegram({ api_url: url }, { userAgent, logger, timeout }),
  secrets: [SECRET, 'AAE-telegram-bot-secret'],
  retryCodes: definition.retryCodes(integrationConfig('telegram', { chat_id: 1, bot_token: SECRET }).settings),
  okResponse: OK,
  expectRequest: (r) => expect(r.url).toBe(`/bot${SECRET}/sendMessage`),
  goldens: [
    { name: 'defaults (HTML), firing', file: join(GOLDEN, 'default-firing.golden.json'), alerts: FIRING },
    { name: 'defaults (HTML), resolved', file: join(GOLDEN, 'default-resolved.golden.json'), alerts: RESOLVED },
    { name: 'defaults (HTML), mixed', file: join(GOLDEN, 'default-mixed.golden.json'), alerts: MIXED },
    { name: 'every field, mixed', file: join(GOLDEN, 'every-field-mixed.golden.json'), alerts: MIXED, create: ({ url, userAgent, logger }) => telegram(everyField(url), { userAgent, logger }) },
    { name: 'every field, resolved', file: join(GOLDEN, 'every-field-resolved.golden.json'), alerts: RESOLVED, create: ({ url, userAgent, logger }) => telegram(everyField(url), { userAgent, logger }) },
    {
      name: 'HTML escaping of templated values',
      file: join(GOLDEN, 'html-escaped.golden.json'),
      alerts: MIXED,
      create: ({ url, userAgent, logger }) => telegram({ api_url: url, message: '<b>{{ .Status }}</b> {{ "<i>&" }}' }, { userAgent, logger }),
    },
    { name: 'parse_mode empty', file: join(GOLDEN, 'no-parse-mode.golden.json'), alerts: RESOLVED, create: ({ url, userAgent, logger }) => telegram({ api_url: url, parse_mode: '' }, { userAgent, logger }) },
  ],
});

describe('TelegramNotifier', () => {
  const srv = useFakeReceiver();
  beforeEach(() => {
    srv.respond = () => ({ status: 200, ...OK });
  });

  test('notify() turns {"ok":false} into a retryable error with the reason of error_code, token redacted', async () => {
    srv.respond = () => ({ status: 429, body: `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 5 (bot${SECRET})","parameters":{"retry_after":5}}` });
    const e = (await telegram({ api_url: srv.url }).notify(notifyContext(), FIRING).catch((x: unknown) => x)) as NotifyError;
    expect(e).toBeInstanceOf(NotifyError);
    expect(e.retryable).toBe(true);
    expect(e.reason).toBe('rateLimited');
    expect(e.message).toBe('telegram: Too Many Requests: retry after 5 (bot<redacted>) (429)');
    srv.respond = () => ({ status: 200, body: '{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}' });
    const e2 = (await telegram({ api_url: srv.url }).notify(notifyContext(), FIRING).catch((x: unknown) => x)) as NotifyError;
    expect(e2.reason).toBe('authError');
    expect(e2.retryable).toBe(true);
  });

  test('notify() reads bot_token_file and chat_id_file at send time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tg-'));
    try {
      const tf = join(dir, 'token');
      const cf = join(dir, 'chat');
      writeFileSync(tf, ' 99:file-token \n');
      writeFileSync(cf, '-100987654321012\n');
      const n = new TelegramNotifier(integrationConfig('telegram', { api_url: srv.url, bot_token_file: tf, chat_id_file: cf }), templatedDeps({ userAgent: 'ua' }));
      await n.notify(notifyContext(), FIRING);
      expect(srv.requests[0]!.url).toBe('/bot99:file-token/sendMessage');
      expect(JSON.parse(srv.requests[0]!.body).chat_id).toBe('-100987654321012');
      writeFileSync(cf, 'not-a-number');
      const e = (await n.notify(notifyContext(), FIRING).catch((x: unknown) => x)) as NotifyError;
      expect(e.message).toBe('could not parse chat_id from chat_id_file');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('notify() takes global telegram_bot_token and telegram_api_url', async () => {
    const n = new TelegramNotifier(integrationConfig('telegram', { chat_id: 5 }, { telegram_bot_token: SECRET, telegram_api_url: `${srv.url}/tg` }), templatedDeps({ userAgent: 'ua' }));
    await n.notify(notifyContext(), FIRING);
    expect(srv.requests[0]!.url).toBe(`/tg/bot${SECRET}/sendMessage`);
  });
});

describe('buildTelegramRequest', () => {
  const r = { text: (s: string) => s, html: (s: string) => s };
  test.each([
    [MAX_MESSAGE_RUNES, undefined],
    [MAX_MESSAGE_RUNES + 1, 'truncated'],
  ] as const)('Markdown message of %i runes: %s', (n, overflow) => {
    const b = buildTelegramRequest({ message: '😀'.repeat(n), parse_mode: 'Markdown' }, r, '1');
    expect(b.overflow).toBe(overflow);
    const text = JSON.parse(b.body).text as string;
    expect(Array.from(text)).toHaveLength(MAX_MESSAGE_RUNES);
    if (overflow) expect(text.endsWith('😀…')).toBe(true);
  });
  test.each([
    [MAX_MESSAGE_RUNES, undefined],
    [MAX_MESSAGE_RUNES + 1, 'replaced'],
  ] as const)('HTML message of %i runes: %s by the notice', (n, overflow) => {
    const b = buildTelegramRequest({ message: '😀'.repeat(n), parse_mode: 'HTML' }, r, '1');
    expect(b.overflow).toBe(overflow);
    if (overflow) expect(JSON.parse(b.body).text).toBe(TOO_LONG_HTML_MESSAGE);
  });
  test('string values, sorted keys; optional keys only when set', () => {
    expect(buildTelegramRequest({ message: 'm', parse_mode: '' }, r, '-5').body).toBe('{"chat_id":"-5","disable_web_page_preview":"true","text":"m"}\n');
    expect(buildTelegramRequest({ message: 'm', parse_mode: 'HTML', disable_notifications: true, message_thread_id: 3 }, r, '1').body).toBe(
      '{"chat_id":"1","disable_notification":"true","disable_web_page_preview":"true","message_thread_id":"3","parse_mode":"HTML","text":"m"}\n',
    );
  });
});
