import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HTTPClientConfig } from '../../schema/http-client-config';
import { Secret } from '../../types/secret';
import { useFakeReceiver } from '../testing/fake-receiver';
import { type ForwardProxy, startForwardProxy } from '../testing/forward-proxy';
import { type SelfSigned, selfSignedCert } from '../testing/tls';
import { HttpSender } from './http-sender';

const base: HTTPClientConfig = { tls_config: { insecure_skip_verify: false }, follow_redirects: true, enable_http2: true, proxy_from_environment: false };
const signal = () => new AbortController().signal;

let dir = '';
let cert: SelfSigned;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'conn-'));
  cert = selfSignedCert(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
/** an HTTPS receiver (HTTP/2 with HTTP/1.1 fallback) with a self-signed cert for 127.0.0.1; records the HTTP version */
const tls = useFakeReceiver(() => ({ tls: cert }));
let hang = false;
beforeEach(() => {
  hang = false;
  tls.respond = (r) =>
    hang ? { status: 200, hang: true } : { status: 200, headers: { 'content-type': 'application/json' }, body: r.url === '/token' ? JSON.stringify({ access_token: 'tlstok', token_type: 'bearer', expires_in: 3600 }) : 'ok' };
});
const versions = () => tls.requests.map((r) => r.httpVersion);

describe('http_config.oauth2 uses its own tls_config and proxy settings for the token request', () => {
  const hook = useFakeReceiver();
  let proxy: ForwardProxy;
  let proxyUrl = '';
  let proxied: string[] = [];
  beforeAll(async () => {
    // a forward proxy that records what it is asked for and sends everything to the plain fake receiver
    proxy = await startForwardProxy(Number(new URL(hook.url).port));
    proxyUrl = proxy.url;
    proxied = proxy.requests;
  });
  afterAll(() => proxy.close());
  beforeEach(() => {
    proxy.clear();
    hook.respond = (r) => (r.url === '/token' ? { status: 200, body: JSON.stringify({ access_token: 'plaintok', expires_in: 3600 }) } : { status: 200, body: 'ok' });
  });

  const oauth = (extra: Partial<NonNullable<HTTPClientConfig['oauth2']>>): NonNullable<HTTPClientConfig['oauth2']> => ({
    client_id: 'id',
    client_secret: Secret.inline('s'),
    scopes: [],
    token_url: `${tls.url}/token`,
    endpoint_params: {},
    ...extra,
  });

  test('oauth2.tls_config.ca_file verifies the token server; the integration tls_config does not', async () => {
    const ok = new HttpSender({ userAgent: 'ua', httpConfig: { ...base, oauth2: oauth({ tls_config: { insecure_skip_verify: false, ca_file: cert.certFile } }) } });
    await expect(ok.post(`${hook.url}/hook`, '{}', { ctx: { signal: signal() } })).resolves.toMatchObject({ status: 200 });
    expect(hook.requests.map((r) => r.headers.authorization)).toEqual(['Bearer tlstok']);
    await ok.close();

    // the CA only on the integration: the token request does not trust the server
    const wrong = new HttpSender({ userAgent: 'ua', httpConfig: { ...base, tls_config: { insecure_skip_verify: false, ca_file: cert.certFile }, oauth2: oauth({}) } });
    await expect(wrong.post(`${hook.url}/hook`, '{}', { ctx: { signal: signal() } })).rejects.toMatchObject({ retryable: true });
    expect(hook.requests).toHaveLength(1);
    await wrong.close();

    const skip = new HttpSender({ userAgent: 'ua', httpConfig: { ...base, oauth2: oauth({ tls_config: { insecure_skip_verify: true } }) } });
    await expect(skip.post(`${hook.url}/hook`, '{}', { ctx: { signal: signal() } })).resolves.toMatchObject({ status: 200 });
    await skip.close();
  });

  test('oauth2.proxy_url carries the token request only; the notification goes direct', async () => {
    const s = new HttpSender({ userAgent: 'ua', httpConfig: { ...base, oauth2: oauth({ token_url: 'http://token.example:9/token', proxy_url: proxyUrl }) } });
    await s.post(`${hook.url}/hook`, '{}', { ctx: { signal: signal() } });
    expect(proxied).toHaveLength(1);
    expect(proxied[0]).toMatch(/token\.example:9/);
    expect(hook.requests.map((r) => `${r.url} ${r.headers.authorization ?? ''}`)).toEqual(['/token Basic aWQ6cw==', '/hook Bearer plaintok']);
    await s.close();
  });

  test('the integration proxy_url is not used for the token request', async () => {
    const s = new HttpSender({ userAgent: 'ua', httpConfig: { ...base, proxy_url: proxyUrl, oauth2: oauth({ token_url: `${hook.url}/token` }) } });
    await s.post('http://hook.example:9/hook', '{}', { ctx: { signal: signal() } });
    expect(proxied).toHaveLength(1);
    expect(proxied[0]).toMatch(/hook\.example:9/);
    expect(hook.requests.map((r) => `${r.url} ${r.headers.authorization ?? ''}`)).toEqual(['/token Basic aWQ6cw==', '/hook Bearer plaintok']);
    await s.close();
  });

  test('oauth2.no_proxy exempts the token host from oauth2.proxy_url', async () => {
    const s = new HttpSender({
      userAgent: 'ua',
      httpConfig: { ...base, oauth2: oauth({ token_url: `${hook.url}/token`, proxy_url: proxyUrl, no_proxy: '127.0.0.1' }) },
    });
    await s.post(`${hook.url}/hook`, '{}', { ctx: { signal: signal() } });
    expect(proxied).toEqual([]);
    expect(hook.requests.map((r) => r.url)).toEqual(['/token', '/hook']);
    await s.close();
    // without no_proxy the same (loopback) token request goes through oauth2.proxy_url
    const viaProxy = new HttpSender({ userAgent: 'ua', httpConfig: { ...base, oauth2: oauth({ token_url: `${hook.url}/token`, proxy_url: proxyUrl }) } });
    await viaProxy.post(`${hook.url}/hook`, '{}', { ctx: { signal: signal() } });
    expect(proxied).toHaveLength(1);
    await viaProxy.close();
  });
});

describe('http_config.enable_http2', () => {
  const tlsCfg = { insecure_skip_verify: false, ca_file: '' };
  const sender = (enable_http2: boolean) => new HttpSender({ userAgent: 'ua', httpConfig: { ...base, enable_http2, tls_config: { ...tlsCfg, ca_file: cert.certFile } } });

  test('true (the default) speaks HTTP/2 over TLS; false stays on HTTP/1.1', async () => {
    const h2 = sender(true);
    await expect(h2.post(`${tls.url}/hook`, '{}', { ctx: { signal: signal() } })).resolves.toMatchObject({ status: 200, body: 'ok' });
    await h2.post(`${tls.url}/hook`, '{}', { ctx: { signal: signal() } });
    await h2.close();
    const h1 = sender(false);
    await expect(h1.post(`${tls.url}/hook`, '{}', { ctx: { signal: signal() } })).resolves.toMatchObject({ status: 200, body: 'ok' });
    await h1.close();
    expect(versions()).toEqual(['2.0', '2.0', '1.1']);
  });

  test('the request timeout and the pipeline abort still apply over HTTP/2', async () => {
    hang = true;
    const s = sender(true);
    await expect(s.post(`${tls.url}/hook`, '{}', { ctx: { signal: signal() }, timeout: 200, timeoutLabel: 'webhook' })).rejects.toMatchObject({
      retryable: true,
      reason: 'contextDeadlineExceeded',
      message: 'POST "<redacted>": configured webhook timeout reached (200ms)',
    });
    const ac = new AbortController();
    const p = s.post(`${tls.url}/hook`, '{}', { ctx: { signal: ac.signal } });
    setTimeout(() => ac.abort(), 50);
    await expect(p).rejects.toMatchObject({ retryable: false, reason: 'contextCanceled' });
    expect(versions()).toEqual(['2.0', '2.0']);
    await s.close();
  });

  test('through proxy_url (CONNECT tunnel) too: h2 when true, 1.1 when false; abort still applies', async () => {
    const tlsPort = Number(new URL(tls.url).port);
    const proxy = await startForwardProxy(tlsPort);
    const proxyUrl = proxy.url;
    const via = (enable_http2: boolean) =>
      new HttpSender({ userAgent: 'ua', httpConfig: { ...base, enable_http2, proxy_url: proxyUrl, tls_config: { ...tlsCfg, ca_file: cert.certFile } } });
    try {
      const h2 = via(true);
      await expect(h2.post(`${tls.url}/hook`, '{}', { ctx: { signal: signal() } })).resolves.toMatchObject({ status: 200, body: 'ok' });
      await h2.post(`${tls.url}/hook`, '{}', { ctx: { signal: signal() } });
      hang = true;
      const ac = new AbortController();
      const p = h2.post(`${tls.url}/hook`, '{}', { ctx: { signal: ac.signal } });
      setTimeout(() => ac.abort(), 50);
      await expect(p).rejects.toMatchObject({ retryable: false, reason: 'contextCanceled' });
      hang = false;
      await h2.close();
      const h1 = via(false);
      await expect(h1.post(`${tls.url}/hook`, '{}', { ctx: { signal: signal() } })).resolves.toMatchObject({ status: 200, body: 'ok' });
      await h1.close();
      expect(versions()).toEqual(['2.0', '2.0', '2.0', '1.1']);
      expect(proxy.requests.filter((r) => r.startsWith('CONNECT ')).length).toBeGreaterThanOrEqual(2);
    } finally {
      await proxy.close();
    }
  });

  test('an oauth2 token server reached over TLS works with HTTP/2 on both connections', async () => {
    const s = new HttpSender({
      userAgent: 'ua',
      httpConfig: { ...base, tls_config: { ...tlsCfg, ca_file: cert.certFile }, oauth2: { client_id: 'i', scopes: [], token_url: `${tls.url}/token`, endpoint_params: {}, tls_config: { ...tlsCfg, ca_file: cert.certFile } } },
    });
    await expect(s.post(`${tls.url}/hook`, '{}', { ctx: { signal: signal() } })).resolves.toMatchObject({ status: 200 });
    expect(versions()).toEqual(['2.0', '2.0']);
    await s.close();
  });
});
