/**
 * Template render benchmark: slack default title + text (and the e-mail HTML) for 100 alerts.
 * Parsing happens once (TemplateSet construction); each op renders the field(s).
 */
import type { Alert } from '../src/types/alert';
import { buildTemplateData } from '../src/templates/data';
import { TemplateSet } from '../src/templates/template-set';

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

function measure(name: string, fn: () => void, minMs = 300): { name: string; usPerOp: number } {
  for (let i = 0; i < 20; i++) fn();
  let ops = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < 20; i++) fn();
    ops += 20;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return { name, usPerOp: (elapsed * 1000) / ops };
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
    measure('slack default title+text, 100 alerts', () => {
      set.renderText(title, data);
      set.renderText(text, data);
    }),
    measure('pushover default message (full alert list), 100 alerts', () => set.renderText(list, data)),
    measure('slack default title, 100 alerts', () => set.renderText(title, data)),
    measure('email.default.html, 100 alerts', () => set.renderHtml('{{ template "email.default.html" . }}', data), 500),
    measure('parse + load defaults', () => TemplateSet.fromSources([]), 300),
  ];
}

if (require.main === module) {
  for (const r of runTemplateBench()) console.log(`${r.name}: ${r.usPerOp.toFixed(1)} µs/op`);
}
