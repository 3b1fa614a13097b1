/**
 * The lean routes (POST /api/v2/silences in front of Express) answer byte for byte as the Express stack does:
 * the same request sent to `/api/v2/silences/` (a trailing slash: Express's non-strict routing takes it to the
 * same route) is the reference. Also the dispatcher's matching, the HTTP metrics, basic auth and web config
 * headers, the route prefix and --web.timeout.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import bcrypt from 'bcryptjs';
import express from 'express';
import { silentLogger } from '../types/logger';
import { basicAuthMiddleware } from '../web/basic-auth';
import { BcryptPool } from '../web/bcrypt-pool';
import { headersMiddleware } from '../web/web-config';
import { type Harness, startApp } from '../../test/helpers/app-harness';
import { leanDispatcher } from './lean-routes';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One request on its own connection; the answer without Date and with silence IDs replaced. */
function send(url: string, o: { method?: string; headers?: Record<string, string>; body?: string; bodyDelayMs?: number } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: o.method ?? 'POST', headers: o.headers ?? {}, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => {
        const headers: Record<string, string> = {};
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          const k = res.rawHeaders[i]!;
          if (k.toLowerCase() !== 'date') headers[k] = res.rawHeaders[i + 1]!;
        }
        resolve({ status: res.statusCode ?? 0, headers, body: body.replace(UUID, '<id>') });
      });
    });
    req.on('error', reject);
    if (o.bodyDelayMs) {
      req.flushHeaders();
      setTimeout(() => req.end(o.body), o.bodyDelayMs);
    } else req.end(o.body);
  });
}

const json = { 'Content-Type': 'application/json' };

function silence(over: Record<string, unknown> = {}): string {
  return JSON.stringify({
    matchers: [{ name: 'alertname', value: 'A', isRegex: false, isEqual: true }],
    startsAt: new Date().toISOString(),
    endsAt: new Date(Date.now() + 3600_000).toISOString(),
    createdBy: 'me',
    comment: 'c',
    ...over,
  });
}

/** The same request to the lean route and to Express: the two answers. */
async function both(base: string, o: Parameters<typeof send>[1]): Promise<[Answer, Answer]> {
  return [await send(`${base}/api/v2/silences`, o), await send(`${base}/api/v2/silences/`, o)];
}

describe('POST /api/v2/silences on the lean route', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApp();
  });
  afterAll(async () => {
    await h.close();
  });

  test.each<[string, Parameters<typeof send>[1]]>([
    ['a silence', { headers: json, body: silence() }],
    ['a silence from a browser (CORS)', { headers: { ...json, Origin: 'http://ui.example' }, body: silence() }],
    ['broken JSON', { headers: json, body: '{"matchers": [' }],
    ['no comment (422 naming the field)', { headers: json, body: silence({ comment: undefined }) }],
    ['no matchers', { headers: json, body: silence({ matchers: [] }) }],
    ['a bad regex', { headers: json, body: silence({ matchers: [{ name: 'a', value: '(', isRegex: true }] }) }],
    ['end before start', { headers: json, body: silence({ endsAt: new Date(Date.now() - 7200_000).toISOString() }) }],
    ['not JSON (415)', { headers: { 'Content-Type': 'text/plain' }, body: silence() }],
    ['an unknown silence to update (404)', { headers: json, body: silence({ id: '3f1c2a9e-1111-4222-8333-444455556666' }) }],
  ])('%s: the same answer as the Express route', async (_name, o) => {
    const [lean, viaExpress] = await both(h.url, o);
    expect(lean).toEqual(viaExpress);
  });

  test('answers with the silence ID, and the silence is there', async () => {
    const r = await fetch(`${h.url}/api/v2/silences?ignored=1`, { method: 'POST', headers: json, body: silence({ comment: 'lean' }) });
    expect(r.status).toBe(200);
    const { silenceID } = (await r.json()) as { silenceID: string };
    const g = (await (await fetch(`${h.url}/api/v2/silence/${silenceID}`)).json()) as { comment: string };
    expect(g.comment).toBe('lean');
  });

  test('counts in the HTTP metrics under the handler /api/v2/silences', async () => {
    const line = (code: number) => `alertmanager_http_request_duration_seconds_count{handler="/api/v2/silences",method="post",code="${code}"}`;
    const count = async (code: number) => {
      const m = new RegExp(`${line(code).replace(/[{}"/]/g, '\\$&')} (\\d+)`).exec(await h.registry.metrics());
      return m ? Number(m[1]) : 0;
    };
    const [ok0, bad0] = [await count(200), await count(422)];
    await send(`${h.url}/api/v2/silences`, { headers: json, body: silence() });
    await send(`${h.url}/api/v2/silences`, { headers: json, body: silence({ createdBy: undefined }) });
    expect([await count(200), await count(422)]).toEqual([ok0 + 1, bad0 + 1]);
    expect(await h.registry.metrics()).toMatch(/alertmanager_http_response_size_bytes_count\{handler="\/api\/v2\/silences",method="post"\} \d+/);
  });
});

describe('the lean route with a web config (basic auth, headers), a route prefix and --web.timeout', () => {
  let h: Harness;
  let pool: BcryptPool;
  const auth = `Basic ${Buffer.from('ops:pw').toString('base64')}`;
  beforeAll(async () => {
    pool = new BcryptPool();
    const users = new Map([['ops', await bcrypt.hash('pw', 4)]]);
    h = await startApp({
      options: {
        routePrefix: '/am',
        webTimeout: 300,
        before: [basicAuthMiddleware(users, pool), headersMiddleware({ 'X-Frame-Options': 'deny' })],
      },
    });
  });
  afterAll(async () => {
    await h.close();
    await pool.close();
  });

  test.each<[string, Parameters<typeof send>[1]]>([
    ['no credentials (401)', { headers: json, body: silence() }],
    ['a wrong password (401)', { headers: { ...json, Authorization: `Basic ${Buffer.from('ops:nope').toString('base64')}` }, body: silence() }],
    ['good credentials', { headers: { ...json, Authorization: auth }, body: silence() }],
    ['good credentials, a refused body', { headers: { ...json, Authorization: auth }, body: silence({ matchers: null }) }],
    ['a body slower than --web.timeout (503)', { headers: { ...json, Authorization: auth }, body: silence(), bodyDelayMs: 600 }],
  ])('%s: the same answer as the Express route', async (_name, o) => {
    const [lean, viaExpress] = await both(h.url, o);
    expect(lean).toEqual(viaExpress);
  });

  test('the web config headers are on the answer; outside the prefix there is no API', async () => {
    const ok = await send(`${h.url}/api/v2/silences`, { headers: { ...json, Authorization: auth }, body: silence() });
    expect([ok.status, ok.headers['X-Frame-Options']]).toEqual([200, 'deny']);
    const outside = await send(`${h.url.replace(/\/am$/, '')}/api/v2/silences`, { headers: { ...json, Authorization: auth }, body: silence() });
    expect([outside.status, outside.body]).toEqual([404, '404 page not found\n']);
  });

  test('the timeout answer is upstream\'s', async () => {
    const slow = await send(`${h.url}/api/v2/silences`, { headers: { ...json, Authorization: auth }, body: silence(), bodyDelayMs: 600 });
    expect([slow.status, slow.body]).toEqual([503, 'Exceeded configured timeout of 300ms.\n']);
  });
});

describe('leanDispatcher', () => {
  let server: http.Server;
  let base: string;
  const seen: string[] = [];
  beforeAll(async () => {
    const dispatch = leanDispatcher({
      prefix: '/p',
      routes: [
        {
          method: 'POST',
          path: '/things',
          handle: async (_req, res, user) => {
            res.end(`lean ${user ?? '-'}`);
          },
        },
        {
          method: 'DELETE',
          path: '/broken',
          handle: async () => {
            throw new Error('boom');
          },
        },
      ],
      observe: (req: IncomingMessage, _res: ServerResponse, path: string) => seen.push(`observe ${req.method} ${path}`),
      before: [],
      app: express(),
      api: (_req, res) => res.setHeader('X-Api', 'yes'),
      logger: silentLogger(),
    });
    server = http.createServer((req, res) => {
      if (!dispatch(req, res)) res.end('fallback');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  test('takes exactly its method and path under the prefix (any query string); the rest falls through', async () => {
    const took = async (method: string, path: string) => (await send(`${base}${path}`, { method })).body;
    expect(await took('POST', '/p/api/v2/things')).toBe('lean -');
    expect(await took('POST', '/p/api/v2/things?x=1')).toBe('lean -');
    for (const [method, path] of [
      ['GET', '/p/api/v2/things'],
      ['POST', '/api/v2/things'],
      ['POST', '/p/api/v2/things/'],
      ['POST', '/p/api/v2/Things'],
      ['POST', '/p/api/v2/things/x'],
    ] as const) {
      expect([method, path, await took(method, path)]).toEqual([method, path, 'fallback']);
    }
    expect(seen).toEqual(['observe POST /api/v2/things', 'observe POST /api/v2/things']);
  });

  test('runs the API steps first; a handler that throws gets a 500', async () => {
    const r = await send(`${base}/p/api/v2/broken`, { method: 'DELETE' });
    expect([r.status, r.headers['X-Api'], r.body]).toEqual([500, 'yes', '"boom"\n']);
  });
});
