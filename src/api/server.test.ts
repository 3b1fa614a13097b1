import { createListener } from './listener';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Harness, MINIMAL_CONFIG, postAlerts, startApp } from '../../test/helpers/app-harness';

describe('HTTP server', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startApp();
  });
  afterEach(async () => {
    await h.close();
  });

  it('GET /api/v2/status: cluster disabled, config.original, uptime, versionInfo in Go field order', async () => {
    const r = await fetch(`${h.url}/api/v2/status`);
    expect(r.status).toBe(200);
    const text = await r.text();
    const body = JSON.parse(text);
    expect(Object.keys(body)).toEqual(['cluster', 'config', 'uptime', 'versionInfo', 'tocsin']); // tocsin: our extension, last
    expect(body.cluster).toEqual({ peers: [], status: 'disabled' });
    expect(body.config.original).toContain('receiver: default');
    expect(Date.parse(body.uptime)).toBeLessThanOrEqual(Date.now());
    expect(Object.keys(body.versionInfo)).toEqual(['branch', 'buildDate', 'buildUser', 'goVersion', 'revision', 'version']);
    expect(body.versionInfo.version).toMatch(/^0\.\d+\.\d+$/);
  });

  it('GET /api/v2/receivers lists configured receivers in order with their name label', async () => {
    writeFileSync(h.configFile, `${MINIMAL_CONFIG}  - name: other\n`);
    await h.app.reload();
    const r = await fetch(`${h.url}/api/v2/receivers`);
    expect(await r.json()).toEqual([
      { labels: { name: 'default' }, name: 'default' },
      { labels: { name: 'other' }, name: 'other' },
    ]);
    const f = await fetch(`${h.url}/api/v2/receivers?receiver_matchers=name%3Dother`);
    expect(await f.json()).toEqual([{ labels: { name: 'other' }, name: 'other' }]);
  });

  it('health, readiness, 404/405 in go-swagger form, v1 410', async () => {
    const healthy = await fetch(`${h.url}/-/healthy`);
    expect([healthy.status, await healthy.text()]).toEqual([200, 'OK']);
    const ready = await fetch(`${h.url}/-/ready`, { method: 'HEAD' });
    expect(ready.status).toBe(200);
    const nope = await fetch(`${h.url}/api/v2/nope`);
    expect([nope.status, await nope.text()]).toEqual([404, '{"code":404,"message":"path /api/v2/nope was not found"}']);
    const put = await fetch(`${h.url}/api/v2/alerts`, { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('POST,GET');
    expect(await put.text()).toBe('{"code":405,"message":"method PUT is not allowed, but [POST,GET] are"}');
    const v1 = await fetch(`${h.url}/api/v1/alerts`);
    expect(v1.status).toBe(410);
    expect((await v1.json()).status).toBe('deprecated');
    const reloadGet = await fetch(`${h.url}/-/reload`);
    expect(reloadGet.status).toBe(405);
  });

  it('CORS as rs/cors defaults and no-store on the API', async () => {
    const r = await fetch(`${h.url}/api/v2/status`, { headers: { Origin: 'http://ui.example' } });
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    expect(r.headers.get('vary')).toContain('Origin');
    expect(r.headers.get('cache-control')).toBe('no-store');
    const pre = await fetch(`${h.url}/api/v2/alerts`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://ui.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(pre.status).toBe(200);
    expect(pre.headers.get('access-control-allow-methods')).toBe('POST');
    const none = await fetch(`${h.url}/api/v2/status`);
    expect(none.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('POST /api/v2/alerts (handled past the router) answers as through the /api/v2 chain: headers, errors, metrics', async () => {
    const post = (path: string, body: string, origin?: string) =>
      fetch(`${h.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...(origin ? { Origin: origin } : {}) }, body });
    const headers = (r: Response) => {
      const out: [string, string][] = [];
      r.headers.forEach((v, k) => {
        if (k !== 'date' && k !== 'keep-alive') out.push([k, v]);
      });
      return out;
    };
    for (const [body, origin] of [
      ['[{"labels":{"a":"b"}}]', 'http://ui.example'],
      ['[{"labels":{"a":"b"}}]', undefined],
      ['[{"labels":{}}]', undefined],
      ['[{"labels":', 'http://ui.example'],
    ] as const) {
      const fast = await post('/api/v2/alerts', body, origin);
      // a trailing slash is the same route for the router, which takes it through the whole chain
      const chain = await post('/api/v2/alerts/', body, origin);
      expect([fast.status, headers(fast), await fast.text()]).toEqual([chain.status, headers(chain), await chain.text()]);
    }
    const ok = await post('/api/v2/alerts', '[]', 'http://ui.example');
    expect([ok.status, ok.headers.get('cache-control'), ok.headers.get('vary'), ok.headers.get('access-control-allow-origin')]).toEqual([200, 'no-store', 'Origin', '*']);
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toMatch(/alertmanager_http_request_duration_seconds_count\{handler="\/api\/v2\/alerts",method="post",code="200"\} [1-9]/);
  });

  it('CORS preflight grants only rs/cors default headers and methods, as Alertmanager 0.25 answers', async () => {
    const preflight = (method: string, headers?: string) =>
      fetch(`${h.url}/api/v2/alerts`, {
        method: 'OPTIONS',
        headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': method, ...(headers ? { 'Access-Control-Request-Headers': headers } : {}) },
      });
    const grants = (r: Response) => ['origin', 'methods', 'headers'].map((k) => r.headers.get(`access-control-allow-${k}`));
    // recorded from prometheus-alertmanager 0.25
    const evil = await preflight('POST', 'authorization, x-evil');
    expect([evil.status, ...grants(evil)]).toEqual([200, null, null, null]);
    expect(evil.headers.get('vary')).toBe('Origin, Access-Control-Request-Method, Access-Control-Request-Headers');
    const del = await preflight('DELETE');
    expect([del.status, ...grants(del)]).toEqual([200, null, null, null]);
    const ok = await preflight('get', 'CONTENT-TYPE,accept');
    expect(grants(ok)).toEqual(['*', 'GET', 'Content-Type, Accept']);
    const all = await preflight('POST', 'accept, content-type, x-requested-with, origin');
    expect(grants(all)).toEqual(['*', 'POST', 'Accept, Content-Type, X-Requested-With, Origin']);
  });

  it('unknown non-API paths answer Go\'s 404 page not found as plain text', async () => {
    for (const p of ['/nope', '/-/nope', '/api/nope']) {
      const r = await fetch(`${h.url}${p}`);
      expect([p, r.status, r.headers.get('content-type'), await r.text()]).toEqual([p, 404, 'text/plain; charset=utf-8', '404 page not found\n']);
    }
  });

  it('accepts request headers up to 1 MB like Go (a 200 KB filter), not Node\'s 16 KB', async () => {
    const server = createListener(h.app.http);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const filter = encodeURIComponent(`alertname="${'x'.repeat(200_000)}"`);
      const r = await fetch(`${url}/api/v2/alerts?filter=${filter}`);
      expect(r.status).toBe(200);
      expect(await r.json()).toEqual([]);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('/metrics exposes upstream metric names, and request metrics per handler', async () => {
    await postAlerts(h.url, [{ labels: { alertname: 'x' } }]);
    const text = await (await fetch(`${h.url}/metrics`)).text();
    for (const name of [
      'alertmanager_alerts{state="active"} 1', // as GET /api/v2/alerts reports it, before its group's first flush
      'alertmanager_alerts_received_total{status="firing",version="v2"} 1',
      'alertmanager_alerts_invalid_total{version="v2"} 0',
      'alertmanager_config_last_reload_successful 1',
      'alertmanager_config_last_reload_success_timestamp_seconds',
      'alertmanager_config_hash',
      'alertmanager_build_info{version="0.34.0"',
      'tocsin_build_info{version=',
      'alertmanager_http_request_duration_seconds_count{handler="/api/v2/alerts",method="post",code="200"} 1',
      'alertmanager_http_response_size_bytes_bucket',
      'alertmanager_http_requests_in_flight{method="get"}',
      'alertmanager_cluster_enabled 0',
      'alertmanager_receivers 1',
    ]) {
      expect(text).toContain(name);
    }
  });

  it('POST /-/reload: a broken file keeps the old config and answers 500 with the errors', async () => {
    const before = await (await fetch(`${h.url}/api/v2/status`)).json();
    writeFileSync(h.configFile, 'route:\n  receiver: nope\nreceivers:\n  - name: default\n');
    const bad = await fetch(`${h.url}/-/reload`, { method: 'POST' });
    expect(bad.status).toBe(500);
    const text = await bad.text();
    expect(text).toMatch(/^failed to reload config: /);
    expect(text).toContain('nope');
    expect(await h.registry.metrics()).toContain('alertmanager_config_last_reload_successful 0');
    const after = await (await fetch(`${h.url}/api/v2/status`)).json();
    expect(after.config.original).toBe(before.config.original);
    // a good file then takes effect
    writeFileSync(h.configFile, 'route:\n  receiver: second\nreceivers:\n  - name: second\n');
    const good = await fetch(`${h.url}/-/reload`, { method: 'POST' });
    expect([good.status, await good.text()]).toEqual([200, '']);
    expect((await (await fetch(`${h.url}/api/v2/receivers`)).json()).map((r: any) => r.name)).toEqual(['second']);
    expect(await h.registry.metrics()).toContain('alertmanager_config_last_reload_successful 1');
  });

  it('GET /api/v2/alerts/groups is mounted', async () => {
    await postAlerts(h.url, [{ labels: { alertname: 'g' } }]);
    const r = await fetch(`${h.url}/api/v2/alerts/groups`);
    expect(r.status).toBe(200);
    const groups = await r.json();
    expect(groups).toHaveLength(1);
    expect(groups[0].receiver).toEqual({ name: 'default' });
  });
});

describe('route prefix', () => {
  it('serves every path under --web.route-prefix and redirects / to it', async () => {
    const h = await startApp({ options: { routePrefix: '/foo' } });
    try {
      expect(h.url.endsWith('/foo')).toBe(true);
      expect((await fetch(`${h.url}/api/v2/status`)).status).toBe(200);
      expect((await fetch(`${h.url}/-/healthy`)).status).toBe(200);
      expect((await fetch(`${h.url}/metrics`)).status).toBe(200);
      expect((await postAlerts(h.url, [{ labels: { a: 'b' } }])).status).toBe(200);
      const root = h.url.replace(/\/foo$/, '');
      expect((await fetch(`${root}/api/v2/status`)).status).toBe(404);
      const redirect = await fetch(`${root}/`, { redirect: 'manual' });
      expect(redirect.status).toBe(302);
      expect(redirect.headers.get('location')).toBe('/foo');
    } finally {
      await h.close();
    }
  });
});

describe('alert status at request time (upstream TestAlertGetReturnsCurrentAlertStatus)', () => {
  it('reflects silences and inhibitions immediately', async () => {
    const config = [
      'route:',
      '  receiver: default',
      '  group_wait: 1s',
      'receivers:',
      '  - name: default',
      'inhibit_rules:',
      '  - source_matchers: [severity="critical"]',
      '    target_matchers: [severity="warning"]',
      '    equal: [alertname]',
      '',
    ].join('\n');
    const h = await startApp({ config });
    try {
      const endsAt = new Date(Date.now() + 300_000).toISOString();
      expect((await postAlerts(h.url, [{ labels: { alertname: 'test1', severity: 'warning' }, endsAt }])).status).toBe(200);
      const get = async () => (await (await fetch(`${h.url}/api/v2/alerts`)).json()) as any[];
      expect((await get()).map((a) => a.status.state)).toEqual(['active']);

      const sil = await fetch(`${h.url}/api/v2/silences`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          matchers: [{ name: 'alertname', value: 'test1', isRegex: false }],
          startsAt: new Date().toISOString(),
          endsAt,
          createdBy: 'me',
          comment: 'c',
        }),
      });
      expect(sil.status).toBe(200);
      const { silenceID } = (await sil.json()) as { silenceID: string };
      let alerts = await get();
      expect(alerts[0].status).toEqual({ inhibitedBy: [], mutedBy: [], silencedBy: [silenceID], state: 'suppressed' });

      expect((await postAlerts(h.url, [{ labels: { alertname: 'test1', severity: 'critical' }, endsAt }])).status).toBe(200);
      alerts = await get();
      const critical = alerts.find((a) => a.labels.severity === 'critical');
      const warning = alerts.find((a) => a.labels.severity === 'warning');
      expect(alerts.every((a) => a.status.silencedBy[0] === silenceID)).toBe(true);
      expect(warning.status.inhibitedBy).toEqual([critical.fingerprint]);

      expect((await fetch(`${h.url}/api/v2/silence/${silenceID}`, { method: 'DELETE' })).status).toBe(200);
      alerts = await get();
      expect(alerts.every((a) => a.status.silencedBy.length === 0)).toBe(true);
      expect(alerts.find((a) => a.labels.severity === 'critical').status.state).toBe('active');
      expect(alerts.find((a) => a.labels.severity === 'warning').status.state).toBe('suppressed');
      expect((await (await fetch(`${h.url}/api/v2/alerts?inhibited=false`)).json()).length).toBe(1);
    } finally {
      await h.close();
    }
  });
});

describe('the assembled pipeline', () => {
  it('delivers a posted alert to a webhook after group_wait, with templated URL support wired', async () => {
    const bodies: any[] = [];
    const hook = createServer((req, res) => {
      let b = '';
      req.on('data', (d) => (b += d));
      req.on('end', () => {
        bodies.push({ url: req.url, body: JSON.parse(b) });
        res.end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const port = (hook.address() as AddressInfo).port;
    const config = [
      'route:',
      '  receiver: hook',
      '  group_wait: 100ms',
      'receivers:',
      '  - name: hook',
      '    webhook_configs:',
      `      - url: http://127.0.0.1:${port}/alert`,
      '',
    ].join('\n');
    const h = await startApp({ config });
    try {
      expect((await postAlerts(h.url, [{ labels: { alertname: 'Piped', job: 'j' } }])).status).toBe(200);
      const deadline = Date.now() + 5000;
      while (bodies.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(bodies).toHaveLength(1);
      expect(bodies[0].url).toBe('/alert');
      expect(bodies[0].body.receiver).toBe('hook');
      expect(bodies[0].body.externalURL).toBe('http://tocsin.test');
      expect(bodies[0].body.alerts[0].labels).toEqual({ alertname: 'Piped', job: 'j' });
      const alerts = (await (await fetch(`${h.url}/api/v2/alerts`)).json()) as any[];
      expect(alerts[0].receivers).toEqual([{ name: 'hook' }]);
    } finally {
      await h.close();
      hook.closeAllConnections();
      await new Promise((r) => hook.close(r));
    }
  });
});
