import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { type FakeReceiver, startFakeReceiver } from '../../src/notifiers/testing/fake-receiver';
import { type Harness, postAlerts, startApp } from '../helpers/app-harness';
import { waitFor } from '../helpers/ports';

/**
 * Issue 4 scope 5 in the whole app: `templates:` files are loaded at config load and on reload, user definitions
 * are what notifications render, and a parse error fails the reload with file:line while the old templates stay.
 */
describe('templates: files in the app (load, reload, parse error)', () => {
  let srv: FakeReceiver;
  let h: Harness;
  let tmpl = '';
  const config = (url: string, dir: string) => `templates: ['${dir}/*.tmpl']
route:
  receiver: s
  group_by: [alertname]
  group_wait: 0s
  group_interval: 1h
receivers:
- name: s
  slack_configs:
  - api_url: ${url}/slack
    title: '{{ template "my.title" . }}'
    text: '{{ template "slack.default.text" . }}'
`;
  const titles = () => srv.requests.filter((r) => r.url === '/slack').map((r) => (JSON.parse(r.body) as { attachments: { title: string }[] }).attachments[0]!.title);

  beforeAll(async () => {
    srv = await startFakeReceiver();
    srv.respond = () => ({ status: 200, body: 'ok' });
    h = await startApp();
    tmpl = path.join(h.dir, 'mine.tmpl');
    writeFileSync(tmpl, '{{ define "my.title" }}v1 {{ .GroupLabels.alertname }}{{ end }}\n');
    writeFileSync(h.configFile, config(srv.url, h.dir));
    expect((await fetch(`${h.url}/-/reload`, { method: 'POST' })).status).toBe(200);
  });
  afterAll(async () => {
    await h?.close();
    await srv?.close();
  });

  test('the loaded file renders; a reload picks up its new text', async () => {
    await postAlerts(h.url, [{ labels: { alertname: 'First' } }]);
    await waitFor(async () => titles().length === 1, { what: 'first notification' });
    expect(titles()).toEqual(['v1 First']);

    writeFileSync(tmpl, '{{ define "my.title" }}v2 {{ .GroupLabels.alertname | toUpper }}{{ end }}\n');
    expect((await fetch(`${h.url}/-/reload`, { method: 'POST' })).status).toBe(200);
    await postAlerts(h.url, [{ labels: { alertname: 'Second' } }]);
    await waitFor(async () => titles().length === 2, { what: 'second notification' });
    expect(titles()[1]).toBe('v2 SECOND');
  });

  test('a parse error fails the reload with file:line; the old templates keep rendering', async () => {
    writeFileSync(tmpl, '{{ define "my.title" }}\nv3 {{ nosuchfunc . }}{{ end }}\n');
    const r = await fetch(`${h.url}/-/reload`, { method: 'POST' });
    expect(r.status).toBe(500);
    const text = await r.text();
    expect(text).toMatch(/^failed to reload config: /);
    expect(text).toContain('template: mine.tmpl:2: function "nosuchfunc" not defined');
    await postAlerts(h.url, [{ labels: { alertname: 'Third' } }]);
    await waitFor(async () => titles().length === 3, { what: 'third notification' });
    expect(titles()[2]).toBe('v2 THIRD');
  });
});
