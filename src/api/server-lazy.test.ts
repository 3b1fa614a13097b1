/**
 * The Express part of the HTTP application is built on the first request that needs it (issue 17: an idle
 * server does not hold Express): the lean routes and GET/HEAD of exactly /-/healthy and /-/ready are answered
 * without it, byte for byte as Express answers the same probe spelled otherwise (a trailing slash: Express's
 * non-strict routing takes it to the same route), and counted in the HTTP metrics as before.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Router } from 'express';
import { Registry } from 'prom-client';
import { systemClock } from '../types/clock';
import { silentLogger } from '../types/logger';
import { createHttpApp, type HttpApp } from './server';
import type { ApiDeps } from './types';

interface Answer {
  status: number;
  headers: [string, string][];
  body: string;
}

/** One request on its own connection; the answer without Date. */
function send(url: string, method: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => {
        const headers: [string, string][] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          if (res.rawHeaders[i]!.toLowerCase() !== 'date') headers.push([res.rawHeaders[i]!, res.rawHeaders[i + 1]!]);
        }
        resolve({ status: res.statusCode ?? 0, headers, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTP application: Express built on demand', () => {
  let server: http.Server;
  let base: string;
  let ready = false;
  const built: string[] = [];
  const registry = new Registry();

  beforeAll(async () => {
    // the routes these requests take use none of the alert API's dependencies
    const unused = {} as ApiDeps;
    const app: HttpApp = createHttpApp({
      ...unused,
      registry,
      logger: silentLogger(),
      clock: systemClock,
      routePrefix: '/x',
      reload: async () => undefined,
      getConcurrency: 0,
      timeout: 0,
      ready: () => ready,
      apiRouters: () => {
        built.push('api routers');
        return [];
      },
      ui: () => {
        built.push('ui');
        const r = Router();
        r.get('/', (_req, res) => {
          res.send('ui');
        });
        return r;
      },
      leanRoutes: [
        {
          method: 'POST',
          path: '/things',
          handle: async (_req, res) => {
            res.end('lean');
          },
        },
      ],
    });
    server = await new Promise<http.Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  test('probes and lean routes answer without building it; the first other request builds it once', async () => {
    const probes: Answer[] = [];
    for (const method of ['GET', 'HEAD']) {
      for (const path of ['/-/healthy', '/-/ready', '/-/healthy?verbose=1']) probes.push(await send(`${base}${path}`, method));
    }
    ready = true;
    probes.push(await send(`${base}/-/ready`, 'GET'), await send(`${base}/-/ready`, 'HEAD'));
    const lean = await send(`${base}/api/v2/things`, 'POST');
    expect(built).toEqual([]);

    expect(probes.map((a) => [a.status, a.body])).toEqual([
      [200, 'OK'],
      [503, 'Service Unavailable: loading stored alerts'],
      [200, 'OK'],
      [200, ''],
      [503, ''],
      [200, ''],
      [200, 'OK'],
      [200, ''],
    ]);
    expect(lean.body).toBe('lean');

    expect((await send(`${base}/`, 'GET')).body).toBe('ui');
    expect(built).toEqual(['ui']);
    expect((await send(`${base}/api/v2/nope`, 'GET')).status).toBe(404);
    expect((await send(`${base}/api/v2/nope`, 'GET')).status).toBe(404);
    expect(built).toEqual(['ui', 'api routers', 'api routers']); // the routers are read per request
  });

  test('a probe answers as Express answers it, and is counted in the HTTP metrics under its path', async () => {
    for (const [path, isReady] of [
      ['/-/healthy', true],
      ['/-/ready', true],
      ['/-/ready', false],
    ] as const) {
      ready = isReady;
      for (const method of ['GET', 'HEAD']) {
        const lean = await send(`${base}${path}`, method);
        const viaExpress = await send(`${base}${path}/`, method);
        expect([path, method, lean]).toEqual([path, method, viaExpress]);
      }
    }
    const metrics = await registry.metrics();
    expect(metrics).toMatch(/alertmanager_http_request_duration_seconds_count\{handler="\/-\/healthy",method="head",code="200"\} [1-9]/);
    expect(metrics).toMatch(/alertmanager_http_request_duration_seconds_count\{handler="\/-\/ready",method="get",code="503"\} [1-9]/);
  });

  test('other methods and spellings of the probe paths still go to Express', async () => {
    expect((await send(`${base}/-/healthy`, 'POST')).status).toBe(404);
    expect((await send(`${base}/-/Healthy`, 'GET')).body).toBe('OK');
    // outside the route prefix: Go's 404
    expect((await send(`${base.slice(0, -2)}/-/healthy`, 'GET')).status).toBe(404);
  });

  test('with `before` handlers (web config: basic auth) the probes go through them', async () => {
    const app = createHttpApp({
      ...({} as ApiDeps),
      registry: new Registry(),
      logger: silentLogger(),
      clock: systemClock,
      routePrefix: '/',
      reload: async () => undefined,
      getConcurrency: 0,
      timeout: 0,
      apiRouters: () => [],
      before: [
        (_req, res) => {
          res.status(401).setHeader('WWW-Authenticate', 'Basic').end();
        },
      ],
    });
    const s = await new Promise<http.Server>((resolve) => {
      const x = app.listen(0, '127.0.0.1', () => resolve(x));
    });
    try {
      const url = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
      for (const path of ['/-/healthy', '/-/ready']) expect([path, (await send(`${url}${path}`, 'GET')).status]).toEqual([path, 401]);
    } finally {
      await new Promise((r) => s.close(r));
    }
  });
});
