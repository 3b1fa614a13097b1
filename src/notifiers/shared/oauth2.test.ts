import type { HTTPClientConfig } from '../../schema/http-client-config';
import { NotifyError } from '../../types/errors';
import { Secret } from '../../types/secret';
import { type RecordedRequest, useFakeReceiver } from '../testing/fake-receiver';
import { HttpSender } from './http-sender';
import { OAuth2TokenSource } from './oauth2';

const SECRET = 'oauth-client-s3cret/+';
const base: HTTPClientConfig = { tls_config: { insecure_skip_verify: false }, follow_redirects: true, enable_http2: true, proxy_from_environment: false };
const signal = () => new AbortController().signal;

describe('http_config.oauth2 (client credentials)', () => {
  const srv = useFakeReceiver();
  let tokenAnswer: (r: RecordedRequest) => { status: number; body: string };
  beforeEach(() => {
    let n = 0;
    tokenAnswer = () => ({ status: 200, body: JSON.stringify({ access_token: `tok${++n}`, token_type: 'bearer', expires_in: 3600 }) });
    srv.respond = (r) => (r.url === '/token' ? tokenAnswer(r) : { status: 200, body: 'ok' });
  });

  const sender = (extra: Partial<NonNullable<HTTPClientConfig['oauth2']>> = {}) =>
    new HttpSender({
      userAgent: 'Alertmanager/test',
      httpConfig: {
        ...base,
        oauth2: { client_id: 'my id', client_secret: Secret.inline(SECRET), scopes: ['read', 'write'], token_url: `${srv.url}/token`, endpoint_params: { audience: 'am' }, ...extra },
      },
    });
  const tokenRequests = () => srv.requests.filter((r) => r.url === '/token');
  const hookRequests = () => srv.requests.filter((r) => r.url === '/hook');

  test('fetches a token (form + Basic client auth, query-escaped), sends it as Bearer, and reuses it', async () => {
    const s = sender();
    await s.post(`${srv.url}/hook`, '{}', { ctx: { signal: signal() } });
    await s.post(`${srv.url}/hook`, '{}', { ctx: { signal: signal() } });
    expect(tokenRequests()).toHaveLength(1);
    const t = tokenRequests()[0]!;
    expect(t.method).toBe('POST');
    expect(t.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(t.body).toBe('audience=am&grant_type=client_credentials&scope=read+write');
    expect(t.headers.authorization).toBe(`Basic ${Buffer.from('my+id:oauth-client-s3cret%2F%2B').toString('base64')}`);
    expect(hookRequests().map((r) => r.headers.authorization)).toEqual(['Bearer tok1', 'Bearer tok1']);
    await s.close();
  });

  test('falls back to client credentials in the form when the Basic style is refused, and keeps that style', async () => {
    tokenAnswer = (r) =>
      r.headers.authorization ? { status: 401, body: '{"error":"invalid_client"}' } : { status: 200, body: '{"access_token":"ptok","token_type":"MAC"}' };
    const s = sender();
    await s.post(`${srv.url}/hook`, '{}', { ctx: { signal: signal() } });
    expect(tokenRequests().map((r) => r.body)).toEqual([
      'audience=am&grant_type=client_credentials&scope=read+write',
      `audience=am&client_id=my+id&client_secret=oauth-client-s3cret%2F%2B&grant_type=client_credentials&scope=read+write`,
    ]);
    expect(hookRequests()[0]!.headers.authorization).toBe('MAC ptok');
    await s.close();
  });

  test('a token is refreshed 10 s before it expires', async () => {
    let now = 1_000_000;
    const calls: string[] = [];
    let n = 0;
    const src = new OAuth2TokenSource(
      { client_id: 'c', scopes: [], token_url: 'http://token', endpoint_params: {} },
      async (_u, body) => {
        calls.push(body);
        return { status: 200, body: JSON.stringify({ access_token: `t${++n}`, expires_in: 60 }) };
      },
      'ua',
      () => now,
    );
    expect(await src.authorization(signal())).toBe('Bearer t1');
    now += 49_000;
    expect(await src.authorization(signal())).toBe('Bearer t1');
    now += 1_000;
    expect(await src.authorization(signal())).toBe('Bearer t2');
    expect(calls).toEqual(['grant_type=client_credentials', 'grant_type=client_credentials']);
  });

  test('a failed token request fails the send (retryable), never with the secret, and sends nothing', async () => {
    tokenAnswer = (r) => ({ status: 400, body: `bad ${r.body} ${r.headers.authorization}` });
    const s = sender();
    const e = await s.post(`${srv.url}/hook`, '{}', { ctx: { signal: signal() } }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NotifyError);
    expect((e as NotifyError).message).toBe('POST "<redacted>": oauth2: cannot fetch token: status 400');
    expect((e as NotifyError).retryable).toBe(true);
    expect(`${(e as Error).message} ${(e as Error).stack}`).not.toContain('s3cret');
    expect(hookRequests()).toHaveLength(0);
    await s.close();
  });
});
