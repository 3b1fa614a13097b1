/**
 * Tocsin's default notification templates. They define every template name of upstream's
 * template/default.tmpl and template/email.tmpl (master) and render byte-identical output
 * (checked against the real engine by test/compat/templates), but are written independently:
 * shared blocks are factored into `__tocsin_*` helpers and the e-mail markup is assembled from
 * constants. The e-mail layout derives from Mailgun's MIT-licensed transactional templates.
 */

type Def = readonly [name: string, body: string];

const ALERT_SECTIONS_SPACED = `{{ with .Alerts.Firing }}
Alerts Firing:
{{ template "__text_alert_list" . }}
{{ end }}
{{ with .Alerts.Resolved }}
Alerts Resolved:
{{ template "__text_alert_list" . }}
{{ end }}
`;

const ALERT_SECTIONS_TIGHT = `{{ with .Alerts.Firing }}Alerts Firing:
{{ template "__text_alert_list" . }}{{ end }}
{{ with .Alerts.Resolved }}Alerts Resolved:
{{ template "__text_alert_list" . }}{{ end }}`;

const ALERT_SECTIONS_MARKDOWN = `{{ with .Alerts.Firing }}
# Alerts Firing:
{{ template "__text_alert_list_markdown" . }}
{{ end }}
{{ with .Alerts.Resolved }}
# Alerts Resolved:
{{ template "__text_alert_list_markdown" . }}
{{ end }}
`;

const ANNOTATIONS = '{{ join " " .CommonAnnotations.Values }}';

const severityRank = (list: string): string =>
  `{{ range ${list} }}{{ $s := .Labels.severity }}` +
  '{{ if eq $s "critical" }}{{ $p = "High" }}' +
  '{{ else if and (eq $s "warning") (ne $p "High") }}{{ $p = "Medium" }}' +
  '{{ else if and (eq $s "info") (eq $p "") }}{{ $p = "Low" }}{{ end }}{{ end }}';

const SUBJECT = '{{ template "__subject" . }}';
const AM = '{{ template "__alertmanager" . }}';
const AM_URL = '{{ template "__alertmanagerURL" . }}';
const COLOR = '{{ if eq .Status "firing" }}danger{{ else }}good{{ end }}';

const TEXT_DEFS: readonly Def[] = [
  ['__alertmanager', 'Alertmanager'],
  ['__alertmanagerURL', '{{ .ExternalURL }}/#/alerts?receiver={{ urlquery .Receiver }}'],
  [
    '__subject',
    '[{{ toUpper .Status }}{{ if eq .Status "firing" }}:{{ len .Alerts.Firing }}{{ end }}] ' +
      '{{ join " " .GroupLabels.Values }} ' +
      '{{ if gt (len .CommonLabels) (len .GroupLabels) }}({{ join " " (.CommonLabels.Remove .GroupLabels.Names).Values }}){{ end }}',
  ],
  ['__description', ''],
  ['__tocsin_pairs', '{{ range .SortedPairs }} - {{ .Name }} = {{ .Value }}\n{{ end }}'],
  ['__tocsin_pairs_md', '{{ range .SortedPairs }}  - {{ .Name }} = {{ .Value }}\n{{ end }}'],
  [
    '__text_alert_list',
    '{{ range . }}Labels:\n{{ template "__tocsin_pairs" .Labels }}Annotations:\n{{ template "__tocsin_pairs" .Annotations }}Source: {{ .GeneratorURL }}\n{{ end }}',
  ],
  [
    '__text_alert_list_markdown',
    '{{ range . }}\nLabels:\n{{ template "__tocsin_pairs_md" .Labels }}\nAnnotations:\n{{ template "__tocsin_pairs_md" .Annotations }}\nSource: {{ .GeneratorURL }}\n{{ end }}\n',
  ],
  ['slack.default.title', SUBJECT],
  ['slack.default.username', AM],
  ['slack.default.fallback', '{{ template "slack.default.title" . }} | {{ template "slack.default.titlelink" . }}'],
  ['slack.default.callbackid', ''],
  ['slack.default.pretext', ''],
  ['slack.default.titlelink', AM_URL],
  ['slack.default.iconemoji', ''],
  ['slack.default.iconurl', ''],
  ['slack.default.text', ''],
  ['slack.default.footer', ''],
  ['slack.default.color', COLOR],
  ['pagerduty.default.description', SUBJECT],
  ['pagerduty.default.client', AM],
  ['pagerduty.default.clientURL', AM_URL],
  ['pagerduty.default.instances', '{{ template "__text_alert_list" . }}'],
  ['opsgenie.default.message', SUBJECT],
  ['opsgenie.default.description', `${ANNOTATIONS}\n${ALERT_SECTIONS_TIGHT}`],
  ['opsgenie.default.source', AM_URL],
  ['wechat.default.message', `${SUBJECT}\n${ANNOTATIONS}\n${ALERT_SECTIONS_TIGHT}\nAlertmanagerUrl:\n${AM_URL}`],
  ['wechat.default.to_user', ''],
  ['wechat.default.to_party', ''],
  ['wechat.default.to_tag', ''],
  ['wechat.default.agent_id', ''],
  ['victorops.default.state_message', `${ANNOTATIONS}\n${ALERT_SECTIONS_TIGHT}`],
  ['victorops.default.entity_display_name', SUBJECT],
  ['victorops.default.monitoring_tool', AM],
  ['pushover.default.title', SUBJECT],
  ['pushover.default.message', `${ANNOTATIONS}\n${ALERT_SECTIONS_SPACED}`],
  ['pushover.default.url', AM_URL],
  ['sns.default.subject', SUBJECT],
  ['sns.default.message', `${ANNOTATIONS}\n${ALERT_SECTIONS_SPACED}`],
  ['telegram.default.message', `\n${ALERT_SECTIONS_SPACED}`],
  ['discord.default.content', ''],
  ['discord.default.title', SUBJECT],
  ['discord.default.message', `\n${ALERT_SECTIONS_SPACED}`],
  ['webex.default.message', `${ANNOTATIONS}\n${ALERT_SECTIONS_SPACED}`],
  ['msteams.default.summary', SUBJECT],
  ['msteams.default.title', SUBJECT],
  ['msteams.default.text', `\n${ALERT_SECTIONS_MARKDOWN}`],
  ['msteamsv2.default.title', SUBJECT],
  ['msteamsv2.default.text', `\n${ALERT_SECTIONS_MARKDOWN}`],
  ['jira.default.summary', SUBJECT],
  ['jira.default.description', `\n${ALERT_SECTIONS_MARKDOWN}`],
  [
    'jira.default.priority',
    '{{ $p := "" }}' + severityRank('.Alerts.Firing') + `{{ if eq $p "" }}${severityRank('.Alerts.Resolved')}{{ end }}{{ $p }}`,
  ],
  ['rocketchat.default.title', SUBJECT],
  ['rocketchat.default.alias', AM],
  ['rocketchat.default.titlelink', AM_URL],
  ['rocketchat.default.emoji', ''],
  ['rocketchat.default.iconurl', ''],
  ['rocketchat.default.text', ''],
  ['mattermost.default.color', COLOR],
  ['mattermost.default.username', AM],
  ['mattermost.default.title', SUBJECT],
  ['mattermost.default.titlelink', AM_URL],
  [
    'mattermost.default.fallback',
    '{{ template "mattermost.default.title" . }} | {{ template "mattermost.default.titlelink" . }}',
  ],
  ['mattermost.default.text', `\n${ALERT_SECTIONS_MARKDOWN}`],
];

/** inline style shared by nearly every e-mail element */
const S = "margin: 0; font-family: 'Helvetica Neue', Helvetica, Arial, sans-serif; box-sizing: border-box; font-size: 14px;";
const F = "font-family: 'Helvetica Neue', Helvetica, Arial, sans-serif; box-sizing: border-box;";
const EMAIL_ALERT_ROWS = `
                <tr style="${S}">
                  <td class="content-block" style="${S} vertical-align: top; padding: 0 0 20px;" valign="top">
                    <strong style="${S}">Labels</strong><br style="${S}">
                    {{ range .Labels.SortedPairs }}{{ .Name }} = {{ .Value }}<br style="${S}">{{ end }}
                    {{ if .Annotations }}<strong style="${S}">Annotations</strong><br style="${S}">{{ end }}
                    {{ range .Annotations.SortedPairs }}{{ .Name }} = {{ .Value }}<br style="${S}">{{ end }}
                    <a href="{{ .GeneratorURL }}" style="${S} color: #348eda; text-decoration: underline;">Source</a><br style="${S}">
                  </td>
                </tr>
                `;
const EMAIL_HTML = `
<!--
Style and HTML derived from https://github.com/mailgun/transactional-email-templates


The MIT License (MIT)

Copyright (c) 2014 Mailgun

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
-->
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" style="${S}">
<head>
<meta name="viewport" content="width=device-width">
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<title>{{ template "__subject" . }}</title>
<style>
@media only screen and (max-width: 640px) {
  body {
    padding: 0 !important;
  }

  h1,
h2,
h3,
h4 {
    font-weight: 800 !important;
    margin: 20px 0 5px !important;
  }

  h1 {
    font-size: 22px !important;
  }

  h2 {
    font-size: 18px !important;
  }

  h3 {
    font-size: 16px !important;
  }

  .container {
    padding: 0 !important;
    width: 100% !important;
  }

  .content {
    padding: 0 !important;
  }

  .content-wrap {
    padding: 10px !important;
  }

  .invoice {
    width: 100% !important;
  }
}
</style>
</head>

<body itemscope itemtype="https://schema.org/EmailMessage" style="${S} -webkit-font-smoothing: antialiased; -webkit-text-size-adjust: none; height: 100%; line-height: 1.6em; background-color: #f6f6f6; width: 100%;">

<table class="body-wrap" style="${S} background-color: #f6f6f6; width: 100%;" width="100%" bgcolor="#f6f6f6">
  <tr style="${S}">
    <td style="${S} vertical-align: top;" valign="top"></td>
    <td class="container" width="600" style="${F} font-size: 14px; vertical-align: top; display: block; max-width: 600px; margin: 0 auto; clear: both;" valign="top">
      <div class="content" style="${F} font-size: 14px; max-width: 600px; margin: 0 auto; display: block; padding: 20px;">
        <table class="main" width="100%" cellpadding="0" cellspacing="0" style="${S} background-color: #fff; border: 1px solid #e9e9e9; border-radius: 3px;" bgcolor="#fff">
          <tr style="${S}">
            {{ if .Alerts.Firing }}
            <td class="alert alert-warning" style="margin: 0; ${F} vertical-align: top; font-size: 16px; color: #fff; font-weight: 500; padding: 20px; text-align: center; border-radius: 3px 3px 0 0; background-color: #E6522C;" valign="top" align="center" bgcolor="#E6522C">
              {{ len .Alerts }} alert{{ if gt (len .Alerts) 1 }}s{{ end }} for {{ range .GroupLabels.SortedPairs }}
                {{ .Name }}={{ .Value }}
              {{ end }}
            </td>
            {{ else }}
            <td class="alert alert-good" style="margin: 0; ${F} vertical-align: top; font-size: 16px; color: #fff; font-weight: 500; padding: 20px; text-align: center; border-radius: 3px 3px 0 0; background-color: #68B90F;" valign="top" align="center" bgcolor="#68B90F">
              {{ len .Alerts }} alert{{ if gt (len .Alerts) 1 }}s{{ end }} for {{ range .GroupLabels.SortedPairs }}
                {{ .Name }}={{ .Value }} 
              {{ end }}
            </td>
            {{ end }}
          </tr>
          <tr style="${S}">
            <td class="content-wrap" style="${S} vertical-align: top; padding: 30px;" valign="top">
              <table width="100%" cellpadding="0" cellspacing="0" style="${S}">
                <tr style="${S}">
                  <td class="content-block" style="${S} vertical-align: top; padding: 0 0 20px;" valign="top">
                    <a href="{{ template "__alertmanagerURL" . }}" class="btn-primary" style="${S} text-decoration: none; color: #FFF; background-color: #348eda; border: solid #348eda; border-width: 10px 20px; line-height: 2em; font-weight: bold; text-align: center; cursor: pointer; display: inline-block; border-radius: 5px; text-transform: capitalize;">View in {{ template "__alertmanager" . }}</a>
                  </td>
                </tr>
                {{ if .Alerts.Firing }}
                <tr style="${S}">
                  <td class="content-block" style="${S} vertical-align: top; padding: 0 0 20px;" valign="top">
                    <strong style="${S}">[{{ len .Alerts.Firing }}] Firing</strong>
                  </td>
                </tr>
                {{ end }}
                {{ template "__tocsin_email_alerts" .Alerts.Firing }}

                {{ if .Alerts.Resolved }}
                  {{ if .Alerts.Firing }}
                <tr style="${S}">
                  <td class="content-block" style="${S} vertical-align: top; padding: 0 0 20px;" valign="top">
                    <br style="${S}">
                    <hr style="${S}">
                    <br style="${S}">
                  </td>
                </tr>
                  {{ end }}
                <tr style="${S}">
                  <td class="content-block" style="${S} vertical-align: top; padding: 0 0 20px;" valign="top">
                    <strong style="${S}">[{{ len .Alerts.Resolved }}] Resolved</strong>
                  </td>
                </tr>
                {{ end }}
                {{ template "__tocsin_email_alerts" .Alerts.Resolved }}
              </table>
            </td>
          </tr>
        </table>

        <div class="footer" style="${S} width: 100%; clear: both; color: #999; padding: 20px;">
          <table width="100%" style="${S}">
            <tr style="${S}">
              <td class="aligncenter content-block" style="margin: 0; ${F} vertical-align: top; padding: 0 0 20px; text-align: center; color: #999; font-size: 12px;" valign="top" align="center"><a href="{{ .ExternalURL }}" style="margin: 0; ${F} text-decoration: underline; color: #999; font-size: 12px;">Sent by {{ template "__alertmanager" . }}</a></td>
            </tr>
          </table>
        </div></div>
    </td>
    <td style="${S} vertical-align: top;" valign="top"></td>
  </tr>
</table>

</body>
</html>

`;

const EMAIL_DEFS: readonly Def[] = [
  ['email.default.subject', SUBJECT],
  ['__tocsin_email_alerts', `{{ range . }}${EMAIL_ALERT_ROWS}{{ end }}`],
  ['email.default.html', EMAIL_HTML],
];

function file(defs: readonly Def[]): string {
  return defs.map(([n, body]) => `{{ define ${JSON.stringify(n)} }}${body}{{ end }}`).join('\n') + '\n';
}

/** Default template sources, parsed before user files (user definitions override them). */
export const DEFAULT_TEMPLATE_FILES: readonly { name: string; text: string }[] = [
  { name: 'default.tmpl', text: file(TEXT_DEFS) },
  { name: 'email.tmpl', text: file(EMAIL_DEFS) },
];
