import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Alert } from '../types/alert';
import { silentLogger } from '../types/logger';
import type { AlertStatus } from '../types/marker';
import { type AlertFilters, alertPasses, parseAlertFilters, statusPasses } from './alert-filters';
import type { ApiDeps } from './types';

/** parseAlertFilters behind a real express route on a loopback port. */
async function withServer(fn: (get: (query: string) => Promise<{ status: number; body: unknown }>) => Promise<void>) {
  const deps = { matcherMode: 'fallback', logger: silentLogger() } as unknown as ApiDeps;
  const app = express();
  app.get('/f', (req, res) => {
    const f = parseAlertFilters(deps, req.query, res);
    if (!f) return;
    res.json({
      matchers: f.matchers.map((m) => `${m.name}${m.type}${m.value}`),
      receiver: f.receiverRe ? ['web', 'db'].filter((r) => f.receiverRe!.matches(r)) : null,
      receiverMatchers: f.receiverMatchers.length,
      flags: [f.active, f.silenced, f.inhibited, f.muted],
    });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as AddressInfo;
  try {
    await fn(async (query) => {
      const r = await fetch(`http://127.0.0.1:${port}/f${query}`);
      return { status: r.status, body: await r.json() };
    });
  } finally {
    await new Promise((r) => server.close(r));
  }
}

describe('parseAlertFilters()', () => {
  test('defaults: no matchers, every state listed', async () => {
    await withServer(async (get) => {
      expect(await get('')).toEqual({ status: 200, body: { matchers: [], receiver: null, receiverMatchers: 0, flags: [true, true, true, true] } });
    });
  });

  test('filters, the last receiver regex (anchored), receiver_matchers and flags', async () => {
    await withServer(async (get) => {
      const r = await get('?filter=a%3D%22b%22&filter=c!~d&receiver=x&receiver=we.&receiver_matchers=name%3Dweb&active=false&muted=0&inhibited=yes');
      expect(r).toEqual({ status: 200, body: { matchers: ['a=b', 'c!~d'], receiver: ['web'], receiverMatchers: 1, flags: [false, true, true, false] } });
    });
  });

  test('state flags bind as go-swagger does: the last value counts, an empty value keeps the default (true)', async () => {
    // checked against Alertmanager 0.25 GET /api/v2/alerts: ?active= lists active alerts, ?active=true&active=false does not
    await withServer(async (get) => {
      expect(((await get('?active=&silenced=&inhibited=&muted=')).body as { flags: boolean[] }).flags).toEqual([true, true, true, true]);
      expect(((await get('?active=true&active=false&muted=0&muted=1')).body as { flags: boolean[] }).flags).toEqual([false, true, true, true]);
      expect(((await get('?active=false&active=&silenced=nonsense&inhibited=TRUE')).body as { flags: boolean[] }).flags).toEqual([true, false, true, true]);
      expect(((await get('?active')).body as { flags: boolean[] }).flags).toEqual([true, true, true, true]);
    });
  });

  test('a bad parameter is a 400 naming it', async () => {
    await withServer(async (get) => {
      expect(await get('?receiver=(')).toEqual({ status: 400, body: 'failed to parse receiver param: error parsing regexp: missing closing ): `^(?:()$`' });
      expect(await get('?receiver_matchers=a%3D%22b')).toEqual({
        status: 400,
        body: 'failed to parse receiver_matchers param: matcher value contains unescaped double quote: "b',
      });
      expect((await get('?filter=a%3D%22b')).status).toBe(400);
    });
  });
});

describe('alertPasses() / statusPasses()', () => {
  const f = (over: Partial<AlertFilters>): AlertFilters => ({
    matchers: [],
    receiverRe: undefined,
    receiverMatchers: [],
    active: true,
    silenced: true,
    inhibited: true,
    muted: true,
    ...over,
  });
  const st = (over: Partial<AlertStatus>): AlertStatus => ({ state: 'active', silencedBy: [], inhibitedBy: [], mutedBy: [], ...over });

  test('resolved alerts are left out; endsAt 0 means open', () => {
    const a = { labels: { a: 'b' }, endsAt: 1000 } as unknown as Alert;
    expect(alertPasses(f({}), a, 999)).toBe(true);
    expect(alertPasses(f({}), a, 1001)).toBe(false);
    expect(alertPasses(f({}), { ...a, endsAt: 0 }, 1001)).toBe(true);
  });

  test('each flag drops its state', () => {
    expect(statusPasses(f({ active: false }), st({}))).toBe(false);
    expect(statusPasses(f({ active: false }), st({ state: 'suppressed', silencedBy: ['s'] }))).toBe(true);
    expect(statusPasses(f({ silenced: false }), st({ state: 'suppressed', silencedBy: ['s'] }))).toBe(false);
    expect(statusPasses(f({ inhibited: false }), st({ state: 'suppressed', inhibitedBy: ['i'] }))).toBe(false);
    expect(statusPasses(f({ inhibited: false }), st({}))).toBe(true);
  });
});
