/**
 * Upstream's own config fixtures (prometheus/alertmanager config/testdata, read from the local mirror, not
 * copied) against the outcome upstream's config_test.go asserts: loads, or fails with that exact message.
 * Skipped when the mirror is not present.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../types/errors';
import { loadConfigString } from './loader';

const MIRROR = '/work/.mirror/prometheus+alertmanager/repo';
const run = existsSync(MIRROR) ? describe : describe.skip;

const OK = 'OK';
const expected: Record<string, string> = {
  'conf.empty-fields.yml': OK,
  'conf.good.yml': OK,
  'conf.group-by-all.yml': OK,
  'conf.http-config.good.yml': OK,
  'conf.mattermost-both-webhook-url-and-file.yml': 'at most one of mattermost_webhook_url & mattermost_webhook_url_file must be configured',
  'conf.mattermost-default-webhook-url-file.yml': OK,
  'conf.mattermost-default-webhook-url.yml': OK,
  'conf.mattermost-no-webhook-url.yml': 'missing webhook_url or webhook_url_file on mattermost_config',
  'conf.mattermost-valid-receiver-both-webhook-url-and-file.yml': 'at most one of mattermost_webhook_url & mattermost_webhook_url_file must be configured',
  'conf.nil-match_re-route.yml': 'invalid regexp value for "invalid_label"',
  'conf.nil-source_match_re-inhibition.yml': 'invalid regexp value for "invalid_source_label"',
  'conf.nil-target_match_re-inhibition.yml': 'invalid regexp value for "invalid_target_label"',
  'conf.opsgenie-both-file-and-apikey.yml': 'at most one of opsgenie_api_key & opsgenie_api_key_file must be configured',
  'conf.opsgenie-default-apikey-file.yml': OK,
  'conf.opsgenie-default-apikey-old-team.yml': 'field teams not found in opsgenie_config',
  'conf.opsgenie-default-apikey.yml': OK,
  'conf.opsgenie-no-apikey.yml': 'no global OpsGenie API Key set either inline or in a file',
  'conf.rocketchat-both-token-and-tokenfile.yml': 'at most one of rocketchat_token & rocketchat_token_file must be configured',
  'conf.rocketchat-both-tokenid-and-tokenidfile.yml': 'at most one of rocketchat_token_id & rocketchat_token_id_file must be configured',
  'conf.rocketchat-default-token-file.yml': OK,
  'conf.rocketchat-default-token.yml': OK,
  'conf.rocketchat-no-token.yml': 'no global Rocketchat Token set either inline or in a file',
  'conf.slack-both-file-and-token.yml': 'at most one of slack_app_token & slack_app_token_file must be configured',
  'conf.slack-both-file-and-url.yml': 'at most one of slack_api_url & slack_api_url_file must be configured',
  'conf.slack-both-url-and-token.yml': 'at most one of slack_app_token/slack_app_token_file & slack_api_url/slack_api_url_file must be configured',
  'conf.slack-default-api-url-file.yml': OK,
  'conf.slack-default-app-token.yml': OK,
  'conf.slack-no-api-url-or-token.yml': 'no Slack API URL nor App token set either inline or in a file',
  'conf.slack-update-message-and-webhook.yml': 'update_message can only be used with bot tokens. api_url must be set to https://slack.com/api/chat.postMessage',
  'conf.smtp-both-password-and-file.yml': 'at most one of smtp_auth_password & smtp_auth_password_file must be configured',
  'conf.smtp-no-username-or-password.yml': OK,
  'conf.smtp-password-global-and-local.yml': OK,
  'conf.sns-invalid.yml': 'must provide either a Target ARN, Topic ARN, or Phone Number for SNS config',
  'conf.sns-topic-arn.yml': OK,
  'conf.telegram-both-bot-token-and-file.yml': 'at most one of telegram_bot_token & telegram_bot_token_file must be configured',
  'conf.telegram-default-bot-token-file.yml': OK,
  'conf.telegram-default-bot-token.yml': OK,
  'conf.telegram-no-bot-token.yml': 'missing bot_token or bot_token_file on telegram_config',
  'conf.telegram-valid-receiver-both-bot-token-and-file.yml': 'at most one of telegram_bot_token & telegram_bot_token_file must be configured',
  'conf.victorops-both-file-and-apikey.yml': 'at most one of victorops_api_key & victorops_api_key_file must be configured',
  'conf.victorops-default-apikey-file.yml': OK,
  'conf.victorops-default-apikey.yml': OK,
  'conf.victorops-no-apikey.yml': 'no global VictorOps API Key set',
  'conf.wechat-both-file-and-secret.yml': 'at most one of wechat_api_secret & wechat_api_secret_file must be configured',
  'conf.wechat-default-api-secret-file.yml': OK,
  'conf.wechat-no-api-secret.yml': 'no global Wechat Api Secret set either inline or in a file',
};

function outcome(text: string): { ok: boolean; messages: string[]; original?: string } {
  try {
    const l = loadConfigString(text, '/etc/alertmanager/alertmanager.yml', { acceptUnsupported: true });
    return { ok: true, messages: [], original: l.original };
  } catch (e) {
    if (e instanceof ConfigError) return { ok: false, messages: e.problems.map((p) => p.message) };
    throw e;
  }
}

run('upstream config/testdata', () => {
  const files = existsSync(MIRROR)
    ? execFileSync('git', ['-C', MIRROR, 'ls-tree', '--name-only', 'HEAD', 'config/testdata/'], { encoding: 'utf8' })
        .split('\n')
        .filter((f) => f.endsWith('.yml'))
    : [];
  const read = (f: string) => execFileSync('git', ['-C', MIRROR, 'show', `HEAD:${f}`], { encoding: 'utf8' });

  test('every upstream fixture is covered by the table', () => {
    expect(files.map((f) => f.split('/').pop()).sort()).toEqual(Object.keys(expected).sort());
  });

  test.each(Object.entries(expected))('%s', (name, want) => {
    const got = outcome(read(`config/testdata/${name}`));
    if (want === OK) {
      expect(got.messages).toEqual([]);
      // and what we serialise loads again
      expect(outcome(got.original!).messages).toEqual([]);
    } else {
      expect(got.messages).toContain(want);
    }
  });

  test('conf.good.yml reload keeps the same config', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tocsin-upstream-'));
    const text = read('config/testdata/conf.good.yml');
    writeFileSync(join(dir, 'a.yml'), text);
    const a = loadConfigString(text, join(dir, 'a.yml'), { acceptUnsupported: true });
    const b = loadConfigString(a.original, join(dir, 'b.yml'), { acceptUnsupported: true });
    expect(JSON.parse(JSON.stringify(b.config))).toEqual(JSON.parse(JSON.stringify(a.config)));
    rmSync(dir, { recursive: true, force: true });
  });
});
