import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HTTPClientConfig } from '../../schema/http-client-config';
import { NotifyError } from '../../types/errors';
import { Secret } from '../../types/secret';
import { startFakeReceiver, useFakeReceiver } from '../testing/fake-receiver';
import { selfSignedCert } from '../testing/tls';
import { classifyResponse, HttpSender, MAX_CONNECTIONS_PER_ORIGIN, redactUrl } from './http-sender';

const base: HTTPClientConfig = { tls_config: { insecure_skip_verify: false }, follow_redirects: true, enable_http2: true, proxy_from_environment: false };
const signal = () => new AbortController().signal;

const srv = useFakeReceiver();
beforeEach(() => {
  srv.respond = (r) => (r.url === '/redirect' ? { status: 302, headers: { location: '/final' } } : { status: 200, body: 'ok' });
});

describe('HttpSender', () => {
  test('authorization and http_headers from http_config; User-Agent', async () => {
    const s = new HttpSender({
      httpConfig: { ...base, authorization: { type: 'Bearer', credentials: Secret.inline('tok') }, http_headers: { 'X-Team': { values: ['a'], secrets: [Secret.inline('b')] } } },
      userAgent: 'Alertmanager/0.34.0',
    });
    await s.post(`${srv.url}/x`, '{}', { ctx: { signal: signal() } });
    expect(srv.requests[0]!.headers).toMatchObject({ authorization: 'Bearer tok', 'x-team': 'a, b', 'user-agent': 'Alertmanager/0.34.0' });
    await s.close();
  });

  test('follow_redirects: followed by default, a 3xx failure when disabled', async () => {
    const on = new HttpSender({ httpConfig: base, userAgent: 'x' });
    await on.post(`${srv.url}/redirect`, '{}', { ctx: { signal: signal() } });
    expect(srv.requests.map((r) => r.url)).toEqual(['/redirect', '/final']);
    const off = new HttpSender({ httpConfig: { ...base, follow_redirects: false }, userAgent: 'x' });
    await expect(off.post(`${srv.url}/redirect`, '{}', { ctx: { signal: signal() } })).rejects.toMatchObject({ status: 302, retryable: false });
  });

  test('many simultaneous requests share at most MAX_CONNECTIONS_PER_ORIGIN kept-alive connections, all delivered', async () => {
    const s = new HttpSender({ httpConfig: base, userAgent: 'x' });
    const n = MAX_CONNECTIONS_PER_ORIGIN * 3;
    const results = await Promise.all(Array.from({ length: n }, (_, i) => s.post(`${srv.url}/many/${i}`, '{}', { ctx: { signal: signal() } })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(srv.requests).toHaveLength(n);
    const sockets = new Set(srv.requests.map((r) => r.remotePort));
    expect(sockets.size).toBeLessThanOrEqual(MAX_CONNECTIONS_PER_ORIGIN);
    expect(sockets.size).toBeGreaterThan(1);
    await s.close();
  });

  test('an aborted pipeline context is not retryable and names the cause', async () => {
    const ac = new AbortController();
    ac.abort(new DOMException('x', 'TimeoutError'));
    const s = new HttpSender({ httpConfig: base, userAgent: 'x' });
    await expect(s.post(`${srv.url}/x`, '{}', { ctx: { signal: ac.signal } })).rejects.toMatchObject({ retryable: false, reason: 'contextDeadlineExceeded' });
  });

  test('a pipeline context canceled while the request is in flight (also after a redirect hop) ends it at once', async () => {
    srv.respond = (r) => (r.url === '/redirect' ? { status: 307, headers: { location: '/hang' } } : { status: 200, hang: true });
    const s = new HttpSender({ httpConfig: base, userAgent: 'x' });
    for (const path of ['/hang', '/redirect']) {
      const ac = new AbortController();
      const p = s.post(`${srv.url}${path}`, '{}', { ctx: { signal: ac.signal } });
      while (!srv.requests.some((r) => r.url === '/hang' && r.body === '{}')) await new Promise((r) => setTimeout(r, 5));
      srv.requests.length = 0;
      ac.abort();
      await expect(p).rejects.toMatchObject({ retryable: false, reason: 'contextCanceled', message: 'POST "<redacted>": context canceled' });
    }
    await s.close();
  });

  test('the response: status, headers, and the body as text (UTF-8, a BOM skipped, several chunks joined)', async () => {
    const long = `${'é'.repeat(40_000)}end`;
    srv.respond = (r) => (r.url === '/bom' ? { status: 400, body: '\uFEFFbad request', headers: { 'x-a': '1' } } : { status: 200, body: long });
    const s = new HttpSender({ httpConfig: base, userAgent: 'x' });
    const res = await s.send(`${srv.url}/bom`, '{}', { ctx: { signal: signal() } });
    expect(res).toMatchObject({ status: 400, body: 'bad request' });
    expect(res.headers?.['x-a']).toBe('1');
    const big = await s.send(`${srv.url}/long`, '{}', { ctx: { signal: signal() } });
    expect(big.body).toBe(long.slice(0, 1024));
    await expect(s.post(`${srv.url}/bom`, '{}', { ctx: { signal: signal() } })).rejects.toMatchObject({ message: 'unexpected status code 400: bad request' });
    await s.close();
  });

  test('tls_config: ca_file verifies a private CA; insecure_skip_verify skips verification', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tls-'));
    try {
      const cert = selfSignedCert(dir);
      const https = await startFakeReceiver({ tls: cert });
      https.respond = () => ({ status: 200, body: 'ok' });
      const u = `${https.url}/`;
      try {
        const plain = new HttpSender({ httpConfig: base, userAgent: 'x' });
        await expect(plain.post(u, '{}', { ctx: { signal: signal() } })).rejects.toMatchObject({ retryable: true });
        const withCa = new HttpSender({ httpConfig: { ...base, tls_config: { insecure_skip_verify: false, ca_file: cert.certFile } }, userAgent: 'x' });
        await expect(withCa.post(u, '{}', { ctx: { signal: signal() } })).resolves.toMatchObject({ status: 200 });
        const skip = new HttpSender({ httpConfig: { ...base, tls_config: { insecure_skip_verify: true } }, userAgent: 'x' });
        await expect(skip.post(u, '{}', { ctx: { signal: signal() } })).resolves.toMatchObject({ status: 200 });
      } finally {
        await https.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('classifyResponse / redactUrl', () => {
  test('Retrier rules with extra retry codes', () => {
    expect(classifyResponse(200, '')).toBeUndefined();
    expect(classifyResponse(429, 'slow down', [429])).toMatchObject({ retryable: true, reason: 'rateLimited', message: 'unexpected status code 429: slow down' });
    expect(classifyResponse(502, '')).toBeInstanceOf(NotifyError);
    expect(classifyResponse(502, '')!.message).toBe('unexpected status code 502');
  });
  test('redactUrl removes the URL and any other URL', () => {
    expect(redactUrl('Post "https://u:p@h/x?t=1": refused, see http://other/y', 'https://u:p@h/x?t=1')).toBe('Post "<redacted>": refused, see <redacted>');
  });
});
