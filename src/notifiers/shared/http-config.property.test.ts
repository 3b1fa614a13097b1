/**
 * Property: every http_config the loader accepts, with any subset of its optional fields written, absent or left
 * empty (`key:`), builds a sender that delivers. The config goes through the real loader from YAML text (so
 * defaults and global inheritance apply as at runtime), the real webhook notifier sends to a real loopback
 * server, oauth2 fetches its token from a real token endpoint, proxies are a real loopback forward proxy.
 * Regression: oauth2 without `scopes` failed every attempt with a TypeError (issue 11 item 2).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { fuzzParams, fuzzTimeout } from '../../../test/fuzz/budget';
import { loadConfigString } from '../../config/loader';
import { type FakeReceiver, startFakeReceiver } from '../testing/fake-receiver';
import { FIRING, notifyContext } from '../testing/fixtures';
import { type ForwardProxy, startForwardProxy } from '../testing/forward-proxy';
import { WebhookNotifier } from '../webhook/notifier';
import { silentLogger } from '../../types/logger';

const RUNS = 40;

let dir: string;
let srv: FakeReceiver;
let proxy: ForwardProxy;
const files = { user: '', pass: '', token: '', secret: '', header: '', ca: '', cert: '', key: '' };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tocsin-httpcfg-'));
  const put = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  files.user = put('user', 'file-user');
  files.pass = put('pass', 'file-pass');
  files.token = put('token', 'file-token');
  files.secret = put('secret', 'file-client-secret');
  files.header = put('header', 'file-header');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
  files.ca = join(dir, 'cert.pem');
  files.cert = join(dir, 'cert.pem');
  files.key = join(dir, 'key.pem');
  srv = await startFakeReceiver();
  proxy = await startForwardProxy(Number(new URL(srv.url).port));
});
afterAll(async () => {
  await srv.close();
  await proxy.close();
  rmSync(dir, { recursive: true, force: true });
});

/** a field that is absent, written empty (`key:` → null) or given a value */
const opt = <T>(v: fc.Arbitrary<T>) => fc.option(fc.oneof(fc.constant(null), v), { nil: undefined });
const word = fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/);
const text = fc.string({ maxLength: 12 }).filter((s) => !s.includes('\0'));

const tlsConfig = () =>
  fc.record(
    {
      insecure_skip_verify: opt(fc.boolean()),
      server_name: opt(word),
      min_version: opt(fc.constantFrom('TLS10', 'TLS11', 'TLS12', 'TLS13')),
      max_version: opt(fc.constantFrom('TLS12', 'TLS13')),
      ca_file: opt(fc.constant(() => files.ca)),
      client: fc.option(fc.constantFrom('files', 'inline'), { nil: undefined }),
    },
    { requiredKeys: [] },
  );

const proxyFields = fc.oneof(
  fc.constant({}),
  fc.record({ proxy_url: fc.constant('proxy'), no_proxy: opt(fc.constantFrom('127.0.0.1', 'example.com', 'localhost,127.0.0.0/8')), proxy_connect_header: opt(fc.constant({ 'X-P': ['v'] })) }, { requiredKeys: ['proxy_url'] }),
  fc.record({ proxy_from_environment: fc.boolean() }),
);

const auth = fc.oneof(
  fc.constant({}),
  fc.record({ basic_auth: opt(fc.record({ username: opt(text), username_file: fc.option(fc.constant('user'), { nil: undefined }), password: opt(text), password_file: fc.option(fc.constant('pass'), { nil: undefined }) }, { requiredKeys: [] })) }),
  fc.record({ authorization: opt(fc.record({ type: opt(fc.constantFrom('Bearer', 'Token', 'bearer')), credentials: opt(word), credentials_file: fc.option(fc.constant('token'), { nil: undefined }) }, { requiredKeys: [] })) }),
  fc.record({ bearer_token: word }),
  fc.record({ bearer_token_file: fc.constant('token') }),
  fc.record({
    oauth2: fc.record(
      {
        client_id: opt(text),
        client_secret: opt(text),
        client_secret_file: fc.option(fc.constant('secret'), { nil: undefined }),
        scopes: opt(fc.array(word, { maxLength: 3 })),
        endpoint_params: opt(fc.dictionary(word, word, { maxKeys: 2 })),
        tls_config: opt(tlsConfig()),
        proxy: proxyFields,
      },
      { requiredKeys: [] },
    ),
  }),
);

const httpConfigArb = fc.record(
  {
    auth,
    tls_config: opt(tlsConfig()),
    proxy: proxyFields,
    follow_redirects: opt(fc.boolean()),
    enable_http2: opt(fc.boolean()),
    http_headers: opt(fc.dictionary(fc.constantFrom('X-A', 'X-B'), fc.record({ values: opt(fc.array(word, { maxLength: 2 })), secrets: opt(fc.array(word, { maxLength: 2 })), files: opt(fc.constant(['header'])) }, { requiredKeys: [] }), { maxKeys: 2 })),
    inGlobal: fc.boolean(),
  },
  { requiredKeys: ['auth', 'proxy', 'inGlobal'] },
);
type Generated = typeof httpConfigArb extends fc.Arbitrary<infer T> ? T : never;

/** the YAML object for one generated block: file names made absolute, exclusive pairs resolved, proxy filled in */
function toYaml(g: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(g)) {
    if (v === undefined || k === 'inGlobal') continue;
    if (k === 'proxy') Object.assign(out, fillProxy(v as Record<string, unknown>));
    else if (k === 'auth') Object.assign(out, authYaml(v as Record<string, unknown>));
    else if (k === 'tls_config') out.tls_config = v === null ? null : tlsYaml(v as Record<string, unknown>);
    else if (k === 'http_headers' && v !== null) {
      out.http_headers = Object.fromEntries(Object.entries(v as Record<string, Record<string, unknown>>).map(([h, hv]) => [h, hv.files ? { ...hv, files: [files.header] } : hv]));
    } else out[k] = v;
  }
  return out;
}

function fillProxy(p: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!p) return {};
  return p.proxy_url ? { ...p, proxy_url: proxy.url } : p;
}

function tlsYaml(t: Record<string, unknown>): Record<string, unknown> {
  const { client, ca_file, ...rest } = t;
  const out: Record<string, unknown> = { ...rest };
  if (ca_file !== undefined) out.ca_file = ca_file === null ? null : files.ca;
  if (client === 'files') Object.assign(out, { cert_file: files.cert, key_file: files.key });
  if (client === 'inline') Object.assign(out, { cert_file: files.cert, key: 'not-read-for-http' });
  // TLS version bounds the loader accepts but that make no sense are not this property's subject
  if (typeof out.min_version === 'string' && typeof out.max_version === 'string' && out.min_version > out.max_version) delete out.max_version;
  return out;
}

function authYaml(a: Record<string, unknown>): Record<string, unknown> {
  const abs = (o: Record<string, unknown>, k: string, f: string) => {
    if (o[k] !== undefined) o[k] = f;
  };
  if (a.basic_auth) {
    const b = { ...(a.basic_auth as Record<string, unknown>) };
    if (b.username_file !== undefined) delete b.username;
    if (b.password_file !== undefined) delete b.password;
    abs(b, 'username_file', files.user);
    abs(b, 'password_file', files.pass);
    return { basic_auth: b };
  }
  if (a.authorization) {
    const z = { ...(a.authorization as Record<string, unknown>) };
    if (z.credentials_file !== undefined) delete z.credentials;
    abs(z, 'credentials_file', files.token);
    return { authorization: z };
  }
  if (a.bearer_token_file) return { bearer_token_file: files.token };
  if (a.oauth2) {
    const { proxy: p, ...o } = a.oauth2 as Record<string, unknown>;
    if (o.client_secret_file !== undefined) delete o.client_secret;
    abs(o, 'client_secret_file', files.secret);
    if (o.tls_config) o.tls_config = tlsYaml(o.tls_config as Record<string, unknown>);
    return { oauth2: { ...o, ...fillProxy(p as Record<string, unknown> | undefined), token_url: `${srv.url}/token` } };
  }
  return a;
}

/** the Authorization header the webhook must carry, from the generated block (file contents as written above) */
function expectedAuthorization(a: Record<string, unknown>): string | undefined {
  if (a.basic_auth !== undefined) {
    const b = (a.basic_auth ?? {}) as Record<string, unknown>;
    const user = b.username_file !== undefined ? 'file-user' : ((b.username as string | null | undefined) ?? '');
    const pass = b.password_file !== undefined ? 'file-pass' : ((b.password as string | null | undefined) ?? '');
    // `basic_auth:` left empty is no basic auth at all
    if (a.basic_auth === null) return undefined;
    return `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  }
  if (a.authorization !== undefined) {
    if (a.authorization === null) return undefined;
    const z = a.authorization as Record<string, unknown>;
    const cred = z.credentials_file !== undefined ? 'file-token' : ((z.credentials as string | null | undefined) ?? '');
    return `${(z.type as string | null | undefined) ?? 'Bearer'} ${cred}`.trim();
  }
  if (a.bearer_token !== undefined) return `Bearer ${a.bearer_token as string}`;
  if (a.bearer_token_file !== undefined) return 'Bearer file-token';
  if (a.oauth2 !== undefined) return 'Bearer tok';
  return undefined;
}

function configText(g: Generated): string {
  const http = toYaml(g as unknown as Record<string, unknown>);
  const hook: Record<string, unknown> = { url: `${srv.url}/hook` };
  const doc: Record<string, unknown> = { route: { receiver: 'r' }, receivers: [{ name: 'r', webhook_configs: [hook] }] };
  if (g.inGlobal) doc.global = { http_config: http };
  else hook.http_config = http;
  return stringify(doc);
}

describe('http_config: any accepted combination of optional fields delivers', () => {
  test(
    'through the loader, the webhook notifier and a real loopback receiver (token endpoint, forward proxy)',
    async () => {
      srv.respond = (r) => (r.url === '/token' ? { status: 200, body: '{"access_token":"tok","token_type":"bearer","expires_in":3600}' } : { status: 200 });
      let refused = 0;
      let delivered = 0;
      await fc.assert(
        fc.asyncProperty(httpConfigArb, async (g) => {
          srv.requests.length = 0;
          const text = configText(g);
          let loaded: ReturnType<typeof loadConfigString>;
          try {
            loaded = loadConfigString(text, join(dir, 'alertmanager.yml'));
          } catch {
            // a combination the loader refuses (as upstream's validation does) is not this property's subject
            refused++;
            return;
          }
          delivered++;
          const integration = loaded.config.receivers[0]!.integrations[0]!;
          if (integration.type !== 'webhook') throw new Error(`expected a webhook, got ${integration.type}`);
          const n = new WebhookNotifier(integration, { externalURL: 'http://am', userAgent: 'Alertmanager/test', logger: silentLogger() });
          try {
            await n.notify(notifyContext(), FIRING);
          } catch (e) {
            throw new Error(`${(e as Error).name}: ${(e as Error).message}\n${text}`);
          } finally {
            await n.close();
          }
          const hooks = srv.requests.filter((r) => r.url.endsWith('/hook'));
          expect(hooks).toHaveLength(1);
          expect(hooks[0]!.headers.authorization?.trim()).toBe(expectedAuthorization(g.auth as Record<string, unknown>));
        }),
        fuzzParams(RUNS),
      );
      // the generator writes valid blocks: the property is about delivery, not about the loader refusing
      expect(delivered).toBeGreaterThan(refused);
    },
    fuzzTimeout(RUNS, 200),
  );

  test('oauth2 without scopes (nor client_id, endpoint_params) fetches a token and delivers', async () => {
    srv.requests.length = 0;
    srv.respond = (r) => (r.url === '/token' ? { status: 200, body: '{"access_token":"tok2"}' } : { status: 200 });
    const text = `route: {receiver: r}\nreceivers:\n- name: r\n  webhook_configs:\n  - url: ${srv.url}/hook\n    http_config:\n      oauth2:\n        token_url: ${srv.url}/token\n`;
    const loaded = loadConfigString(text, join(dir, 'alertmanager.yml'));
    const integration = loaded.config.receivers[0]!.integrations[0]!;
    if (integration.type !== 'webhook') throw new Error(`expected a webhook, got ${integration.type}`);
    const n = new WebhookNotifier(integration, { externalURL: 'http://am', userAgent: 'Alertmanager/test', logger: silentLogger() });
    try {
      await n.notify(notifyContext(), FIRING);
    } finally {
      await n.close();
    }
    expect(srv.requests.map((r) => [r.url, r.url === '/token' ? r.body : r.headers.authorization])).toEqual([
      ['/token', 'grant_type=client_credentials'],
      ['/hook', 'Bearer tok2'],
    ]);
  });
});
