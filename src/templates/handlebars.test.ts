import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Alert } from '../types/alert';
import { buildTemplateData } from './data';
import { TemplateSet } from './template-set';

const alert = (labels: Record<string, string>, endsAt = 0): Alert => ({
  labels,
  annotations: { summary: `<${labels.instance}>` },
  startsAt: Date.UTC(2026, 0, 2, 3, 4, 5),
  endsAt,
  updatedAt: 0,
  generatorURL: 'http://gen',
  timeout: false,
  fingerprint: '0123456789abcdef',
});

describe('Handlebars .hbs templates', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tocsin-hbs-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const data = buildTemplateData({
    receiver: 'team',
    alerts: [alert({ alertname: 'A', instance: 'h1' }), alert({ alertname: 'A', instance: 'h2' }, Date.UTC(2026, 0, 2, 4))],
    groupLabels: { alertname: 'A' },
    externalURL: 'http://am',
    now: Date.UTC(2026, 0, 3),
  });

  test('named after the file, callable from Go templates, same data and functions', async () => {
    writeFileSync(
      path.join(dir, 'summary.hbs'),
      '{{toUpper Status}} {{Alerts.length}}/{{Alerts.Firing.length}}:{{#each Alerts}} {{Labels.instance}}={{Annotations.summary}}{{/each}} [{{join "," GroupLabels.Names}}] {{#each CommonLabels.SortedPairs}}{{Name}}={{Value}}{{/each}}',
    );
    const set = await TemplateSet.load({ globs: [path.join(dir, '*.hbs')] });
    expect(set.renderText('>{{ template "summary" . }}<', data)).toBe('>FIRING 2/1: h1=<h1> h2=<h2> [alertname] alertname=A<');
    expect(set.executeTemplate('summary', data)).toContain('FIRING 2/1');
  });

  test('HTML rendering escapes, helpers returning safeHtml do not', async () => {
    writeFileSync(path.join(dir, 'mail.hbs'), '{{#each Alerts}}<p>{{Annotations.summary}}</p>{{/each}}{{safeHtml "<b>x</b>"}}');
    const set = await TemplateSet.load({ globs: [path.join(dir, '*.hbs')] });
    expect(set.renderHtml('{{ template "mail" . }}', data)).toBe('<p>&lt;h1&gt;</p><p>&lt;h2&gt;</p><b>x</b>');
  });

  test('syntax errors fail at load', async () => {
    writeFileSync(path.join(dir, 'bad.hbs'), '{{#each Alerts}}x');
    await expect(TemplateSet.load({ globs: [path.join(dir, '*.hbs')] })).rejects.toThrow(/^template: bad\.hbs: /);
  });
});
