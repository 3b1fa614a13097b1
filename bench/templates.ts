/**
 * Template render benchmark: slack default title + text (and the e-mail HTML) for 100 alerts.
 * Parsing happens once (TemplateSet construction); each op renders the field(s).
 */

import { buildTemplateData } from '../src/templates/data';
import { TemplateSet } from '../src/templates/template-set';
import type { Alert } from '../src/types/alert';
import { repeat } from './micro/measure';

function alerts(n: number): Alert[] {
  const out: Alert[] = [];
  for (let i = 0; i < n; i++) {
    out.push({
      labels: { alertname: 'HighLatency', instance: `host${i}:9100`, job: 'api', severity: i % 3 ? 'warning' : 'critical' },
      annotations: { summary: `latency high on host${i}`, runbook: 'https://runbooks/latency' },
      startsAt: 1_700_000_000_000 + i,
      endsAt: i % 4 === 0 ? 1_700_000_100_000 : 0,
      updatedAt: 0,
      generatorURL: 'http://prometheus/graph',
      timeout: false,
      fingerprint: i.toString(16).padStart(16, '0'),
    });
  }
  return out;
}

export function runTemplateBench(): { name: string; usPerOp: number }[] {
  const set = TemplateSet.fromSources([]);
  const data = buildTemplateData({
    receiver: 'team-a',
    alerts: alerts(100),
    groupLabels: { alertname: 'HighLatency' },
    externalURL: 'http://am.example.com',
    now: 1_700_000_200_000,
  });
  const title = '{{ template "slack.default.title" . }}';
  const text = '{{ template "slack.default.text" . }}';
  const list = '{{ template "pushover.default.message" . }}';
  return [
    repeat('slack default title+text, 100 alerts', () => {
      set.renderText(title, data);
      set.renderText(text, data);
    }),
    repeat('pushover default message (full alert list), 100 alerts', () => set.renderText(list, data)),
    repeat('slack default title, 100 alerts', () => set.renderText(title, data)),
    repeat('email.default.html, 100 alerts', () => set.renderHtml('{{ template "email.default.html" . }}', data), 500),
    repeat('parse + load defaults', () => TemplateSet.fromSources([]), 300),
  ];
}

if (require.main === module) {
  for (const r of runTemplateBench()) console.log(`${r.name}: ${r.usPerOp.toFixed(1)} µs/op`);
}
