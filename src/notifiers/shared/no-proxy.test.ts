import type { IncomingHttpHeaders } from 'node:http';
import type { HTTPClientConfig } from '../../schema/http-client-config';
import { Secret } from '../../types/secret';
import { useFakeReceiver } from '../testing/fake-receiver';
import { type ForwardProxy, startForwardProxy } from '../testing/forward-proxy';
import { HttpSender } from './http-sender';
import { bypassProxy } from './no-proxy';

describe('bypassProxy (x/net httpproxy NoProxy rules)', () => {
  test.each([
    ['example.com', 'http://example.com/x', true],
    ['example.com', 'https://hooks.example.com/x', true],
    ['example.com', 'http://notexample.com/x', false],
    ['.example.com', 'http://example.com/x', false],
    ['.example.com', 'http://a.example.com/x', true],
    ['*.example.com', 'http://a.example.com/x', true],
    ['*.example.com', 'http://example.com/x', false],
    ['example.com:8080', 'http://example.com:8080/x', true],
    ['example.com:8080', 'http://example.com/x', false],
    ['example.com:443', 'https://example.com/x', true],
    ['10.0.0.0/8', 'http://10.1.2.3/x', true],
    ['10.0.0.0/8', 'http://11.1.2.3/x', false],
    ['192.0.2.7', 'http://192.0.2.7:9000/x', true],
    ['192.0.2.7', 'http://192.0.2.8/x', false],
    ['a.test, Example.COM ,', 'http://EXAMPLE.com/x', true],
    ['*', 'http://anything/x', true],
    ['other.test', 'http://localhost:9/x', true], // localhost and loopback are never proxied
    ['other.test', 'http://127.0.0.1:9/x', true],
    ['other.test', 'http://[::1]:9/x', true],
    ['other.test', 'http://svc.internal/x', false],
  ])('no_proxy %j, %s -> direct %s', (np, url, direct) => {
    expect(bypassProxy(np, url)).toBe(direct);
  });
});

describe('HttpSender with proxy_url and no_proxy', () => {
  const target = useFakeReceiver();
  let proxy: ForwardProxy;
  let proxyUrl = '';
  let tunnels: string[] = [];
  let connectHeaders: IncomingHttpHeaders[] = [];
  beforeAll(async () => {
    // a proxy that records what it was asked for and sends every host to the target server
    proxy = await startForwardProxy(Number(new URL(target.url).port));
    proxyUrl = proxy.url;
    tunnels = proxy.requests;
    connectHeaders = proxy.connectHeaders;
  });
  afterAll(() => proxy.close());
  beforeEach(() => {
    proxy.clear();
    target.respond = () => ({ status: 200, body: 'ok' });
  });

  const sender = (extra: Partial<HTTPClientConfig>) =>
    new HttpSender({ userAgent: 'ua', httpConfig: { tls_config: { insecure_skip_verify: false }, follow_redirects: true, enable_http2: true, proxy_from_environment: false, proxy_url: proxyUrl, ...extra } });
  const send = (s: HttpSender, url: string) => s.post(url, '{}', { ctx: { signal: new AbortController().signal } });
  const targetPort = () => new URL(target.url).port;

  test('without no_proxy every request goes through proxy_url, loopback included (http.ProxyURL)', async () => {
    const s = sender({});
    await send(s, `${target.url}/a`);
    expect(tunnels).toHaveLength(1);
    expect(tunnels[0]).toContain(`127.0.0.1:${targetPort()}`);
    expect(target.requests.map((r) => r.url)).toEqual(['/a']);
    await s.close();
  });

  test('with no_proxy: a listed host and loopback go direct, another host through the proxy', async () => {
    const s = sender({ no_proxy: 'example.com' });
    await send(s, `${target.url}/direct`);
    expect(tunnels).toEqual([]);
    await send(s, `http://svc.internal.test:${targetPort()}/proxied`);
    expect(tunnels).toHaveLength(1);
    expect(tunnels[0]).toContain(`svc.internal.test:${targetPort()}`);
    expect(target.requests.map((r) => r.url)).toEqual(['/direct', '/proxied']);
    await s.close();
  });

  test('proxy_connect_header goes on the CONNECT request to the proxy, not to the target', async () => {
    const s = sender({ proxy_connect_header: { 'Proxy-Authorization': [Secret.inline('Basic cHJveHk6cHc=')], 'X-Tag': [Secret.inline('a'), Secret.inline('b')] } });
    await send(s, `${target.url}/with-headers`);
    expect(tunnels).toHaveLength(1);
    const h = connectHeaders[connectHeaders.length - 1]!;
    expect(h['proxy-authorization']).toBe('Basic cHJveHk6cHc=');
    expect(h['x-tag']).toBe('a, b');
    expect(target.requests[0]!.headers['proxy-authorization']).toBeUndefined();
    await s.close();
  });

  test('proxy_from_environment: HTTP_PROXY is used, NO_PROXY hosts and loopback go direct', async () => {
    const saved = { HTTP_PROXY: process.env.HTTP_PROXY, NO_PROXY: process.env.NO_PROXY };
    process.env.HTTP_PROXY = proxyUrl;
    process.env.NO_PROXY = 'example.com';
    try {
      const s = sender({ proxy_url: undefined, proxy_from_environment: true });
      await send(s, `http://svc.internal.test:${targetPort()}/env-proxied`);
      expect(tunnels).toHaveLength(1);
      expect(tunnels[0]).toContain(`svc.internal.test:${targetPort()}`);
      await send(s, `${target.url}/env-direct`);
      expect(tunnels).toHaveLength(1);
      expect(target.requests.map((r) => r.url)).toEqual(['/env-proxied', '/env-direct']);
      await s.close();
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});
