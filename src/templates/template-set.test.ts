import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Alert } from '../types/alert';
import { TemplateError } from '../types/errors';
import { buildTemplateData } from './data';
import { renderTemplateCommand } from './render-command';
import { deepCopyWithTemplate } from './structured';
import { TemplateSet } from './template-set';

const alert = (labels: Record<string, string>, endsAt = 0, annotations: Record<string, string> = {}): Alert => ({
  labels,
  annotations,
  startsAt: Date.UTC(2026, 0, 2, 3, 4, 5),
  endsAt,
  updatedAt: 0,
  generatorURL: 'http://gen',
  timeout: false,
  fingerprint: '0123456789abcdef',
});

describe('TemplateSet', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tocsin-tmpl-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('load() user definitions override defaults', async () => {
    writeFileSync(path.join(dir, 'a.tmpl'), '{{ define "slack.default.title" }}custom {{ .Status }}{{ end }}');
    const set = await TemplateSet.load({ globs: [path.join(dir, '*.tmpl')], includeDefaults: true });
    const data = buildTemplateData({ receiver: 'r', alerts: [alert({ alertname: 'A' })], groupLabels: {}, externalURL: 'http://x', now: Date.UTC(2026, 1, 1) });
    expect(set.renderText('{{ template "slack.default.title" . }}', data)).toBe('custom firing');
    expect(set.executeTemplate('slack.default.username', data)).toBe('Alertmanager');
  });

  test('load() parse errors name the file and line', async () => {
    writeFileSync(path.join(dir, 'bad.tmpl'), 'ok\n{{ define "x" }}{{ nosuch }}{{ end }}');
    await expect(TemplateSet.load({ globs: [path.join(dir, '*.tmpl')] })).rejects.toThrow(TemplateError);
    await expect(TemplateSet.load({ globs: [path.join(dir, '*.tmpl')] })).rejects.toThrow(
      'template: bad.tmpl:2: function "nosuch" not defined',
    );
  });

  test('load() ignores globs without matches', async () => {
    const set = await TemplateSet.load({ globs: [path.join(dir, 'none-*.tmpl')] });
    expect(set.renderText('{{ template "__alertmanager" . }}', null)).toBe('Alertmanager');
  });

  test('renderText() errors are Go-style and never return partial output', () => {
    const set = TemplateSet.fromSources([]);
    expect(() => set.renderText('partial {{ template "nope" . }}', null)).toThrow(
      'template: :1:20: executing "" at <{{template "nope" .}}>: template "nope" not defined',
    );
    expect(() => set.renderText('x {{ len 1 2 }}', null)).toThrow('wrong number of args for len: want 1 got 2');
  });

  test('parseCheck() validates syntax only', () => {
    const set = TemplateSet.fromSources([]);
    expect(() => set.parseCheck('{{ .Anything }}')).not.toThrow();
    expect(() => set.parseCheck('{{ if }}')).toThrow('template: :1: missing value for if');
  });

  test('renderText("") is empty and renderHtml escapes', () => {
    const set = TemplateSet.fromSources([]);
    expect(set.renderText('', null)).toBe('');
    expect(set.renderHtml('<a href="{{ . }}">{{ . }}</a>', 'javascript:x<y>')).toBe('<a href="#ZgotmplZ">javascript:x&lt;y&gt;</a>');
  });

  test('routeLabels resolves, memoises and detects cycles', () => {
    const set = TemplateSet.fromSources([]);
    const base = { receiver: 'r', alerts: [alert({ a: '1' })], groupLabels: {}, externalURL: '' };
    const ok = buildTemplateData({ ...base, routeLabels: { x: 'X{{ routeLabels "y" }}', y: 'Y' } });
    expect(set.renderText('{{ routeLabels "x" }}|{{ routeLabels "none" }}', ok)).toBe('XY|');
    const cyc = buildTemplateData({ ...base, routeLabels: { a: '{{ routeLabels "b" }}', b: '{{ routeLabels "a" }}' } });
    expect(() => set.renderText('{{ routeLabels "a" }}', cyc)).toThrow('route label cycle detected: a -> b -> a');
  });
});

describe('buildTemplateData()', () => {
  test('status, common labels, zero EndsAt for firing, quoted receiver', () => {
    const now = Date.UTC(2026, 5, 1);
    const d = buildTemplateData({
      receiver: 'team.a',
      alerts: [alert({ alertname: 'A', x: '1' }, 0, { s: 'k' }), alert({ alertname: 'A', x: '2' }, now - 1000, { s: 'k' })],
      groupLabels: { alertname: 'A' },
      externalURL: 'http://am',
      now,
    });
    const set = TemplateSet.fromSources([]);
    expect(set.renderText('{{ .Receiver }} {{ .Status }} {{ .CommonLabels }} {{ .CommonAnnotations }}', d)).toBe('team\\.a firing alertname=A s=k');
    expect(set.renderText('{{ range .Alerts }}{{ .Status }} {{ .EndsAt.IsZero }};{{ end }}', d)).toBe('firing true;resolved false;');
    expect(set.renderText('{{ template "__subject" . }}', d)).toBe('[FIRING:1] A ');
  });
});

describe('deepCopyWithTemplate()', () => {
  test('parses structured renderings, keeps strings', () => {
    const out = deepCopyWithTemplate({ a: '{{ . }}', b: ['x', 2], '{{ "k" }}': 'v: 1' }, (t) => (t === '{{ . }}' ? '[1, 2]' : t === '{{ "k" }}' ? 'k' : t));
    expect(out).toEqual({ a: [1, 2], b: ['x', 2], k: { v: 1 } });
  });
});

describe('renderTemplateCommand()', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tocsin-render-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('matches amtool output with a data file', () => {
    const data = JSON.stringify({
      receiver: 'r',
      status: 'firing',
      alerts: [{ status: 'firing', labels: { alertname: 'A' }, annotations: {}, startsAt: '2026-01-01T00:00:00Z', endsAt: '0001-01-01T00:00:00Z', generatorURL: 'g', fingerprint: 'f' }],
      groupLabels: { alertname: 'A' },
      commonLabels: { alertname: 'A' },
      commonAnnotations: {},
      externalURL: 'http://am',
    });
    const file = path.join(dir, 'data.json');
    writeFileSync(file, data);
    writeFileSync(path.join(dir, 'u.tmpl'), '{{ define "mine" }}<{{ .Receiver }}>{{ end }}');
    const text = '{{ template "mine" . }} {{ range .Alerts }}{{ .StartsAt }}{{ end }}';
    const ours = renderTemplateCommand({ globs: [path.join(dir, '*.tmpl')], text, dataJson: data, type: 'html' });
    const real = spawnSync('amtool', ['template', 'render', `--template.glob=${dir}/*.tmpl`, `--template.text=${text}`, '--template.type=html', `--template.data=${file}`], { encoding: 'utf8' });
    expect(real.status).toBe(0);
    expect(ours).toBe(real.stdout);
  });

  test('a glob that matches a folder fails with Go\'s read error, as amtool (not EISDIR)', () => {
    mkdirSync(path.join(dir, 'sub'), { recursive: true });
    for (const g of [`${dir}/*`, path.join(dir, 'sub')]) {
      const real = spawnSync('amtool', ['template', 'render', `--template.glob=${g}`, '--template.text=x'], { encoding: 'utf8' });
      expect(real.stderr).toBe(`amtool: error: read ${path.join(dir, 'sub')}: is a directory\n\n`);
      expect(() => renderTemplateCommand({ globs: [g], text: 'x' })).toThrow(new TemplateError(`read ${path.join(dir, 'sub')}: is a directory`));
    }
    expect(() => renderTemplateCommand({ globs: [path.join(dir, 'nofile')], text: 'x' })).not.toThrow();
  });

  test('uses amtool default data when none given', () => {
    const out = renderTemplateCommand({ globs: [], text: '{{ .Receiver }} {{ .Status }} {{ len .Alerts }} {{ .GroupLabels.Values }}', now: 0 });
    expect(out).toBe('receiver alertstatus 2 [grouplabelvalue1 grouplabelvalue2]');
  });
});
