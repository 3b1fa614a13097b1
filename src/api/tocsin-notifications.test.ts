import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { mkAlert } from '../../test/acceptance/support/fixtures';
import { ManualClock } from '../../test/helpers/manual-clock';
import { Outbox } from '../pipeline/outbox';
import type { OutboxStorage } from '../pipeline/outbox-storage';
import type { NotifyContext } from '../pipeline/types';
import { openDatabase } from '../store/db';
import { sqliteOutboxStorage } from '../store/outbox';
import { NotifyError } from '../types/errors';
import { silentLogger } from '../types/logger';
import type { OutboxPageWire } from '../wire/notifications';
import { notificationRoutes } from './tocsin-notifications';

const T0 = 1_700_000_000_000;

describe('/api/v2/tocsin/notifications', () => {
  let server: Server;
  let base: string;
  let storage: OutboxStorage;
  let outbox: Outbox;
  let ids: { pending: number; dead: number[] };
  beforeAll(async () => {
    const db = openDatabase(':memory:');
    storage = sqliteOutboxStorage(db);
    const clock = new ManualClock(T0);
    outbox = new Outbox({ storage, clock, logger: silentLogger() });
    const integration = { name: 'webhook', index: 0, sendResolved: true, notifier: { notify: async () => Promise.reject(new NotifyError('unexpected status code 503', { retryable: true, reason: 'serverError' })) } };
    outbox.configure(new Map([['pager', [integration]]]), () => ({ deadline: 3600_000, min_backoff: 10_000, max_backoff: 60_000 }));
    const ctx = (g: string): NotifyContext => ({ receiver: 'pager', groupKey: g, groupLabels: { alertname: g }, routeId: '{}', routeLabels: {}, now: T0, repeatInterval: 1, muteTimeIntervals: [], activeTimeIntervals: [], signal: new AbortController().signal, logger: silentLogger(), firing: [], resolved: [] });
    const dead = [];
    for (const g of ['a', 'b', 'c']) dead.push((await outbox.deadLetter(ctx(g), [mkAlert({ alertname: g })], integration, { attempts: 1, payload: [{ target: 'POST x', body: `{"g":"${g}"}` }], error: 'unexpected status code 400' })).id);
    const pending = (await outbox.enqueue(ctx('p'), [mkAlert({ alertname: 'p' })], integration, { deadline: 3600_000, min_backoff: 10_000, max_backoff: 60_000 }, { attempts: 1, payload: [{ target: 'POST x', body: '{"secret":"routing-key"}' }], error: '503' })).id;
    ids = { pending, dead };
    const app = express();
    app.use('/api/v2', notificationRoutes({ outbox: { outbox, storage } }));
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v2/tocsin/notifications`;
  });
  afterAll(async () => {
    outbox.stop();
    await new Promise((r) => server.close(r));
  });

  test('lists newest first, filtered by state and receiver, in pages; never the payload itself', async () => {
    const all = (await (await fetch(base)).json()) as OutboxPageWire;
    expect(all.notifications.map((n) => n.id)).toEqual([ids.pending, ...[...ids.dead].reverse()]);
    expect(JSON.stringify(all)).not.toContain('routing-key');
    expect(all.notifications[0]!.payload).toMatchObject({ requests: 1, bytes: 24 });
    const dead = (await (await fetch(`${base}?state=dead&limit=2`)).json()) as OutboxPageWire;
    expect(dead.notifications.map((n) => n.groupLabels.alertname)).toEqual(['c', 'b']);
    const rest = (await (await fetch(`${base}?state=dead&limit=2&cursor=${dead.next}`)).json()) as OutboxPageWire;
    expect(rest).toMatchObject({ notifications: [{ groupLabels: { alertname: 'a' } }], next: null });
    expect(((await (await fetch(`${base}?receiver=other`)).json()) as OutboxPageWire).notifications).toEqual([]);
  });

  test.each([
    ['?state=gone', 'bad state'],
    ['?limit=0', 'bad limit'],
    ['?limit=x', 'bad limit'],
    ['?cursor=!!', 'bad cursor'],
    ['/x1', 'bad id'],
  ])('GET %s answers 400 naming the parameter', async (q, msg) => {
    const r = await fetch(`${base}${q}`);
    expect(r.status).toBe(400);
    expect(await r.text()).toContain(msg);
  });

  test('404 for an unknown id; 409 to replay or discard a pending one; discard removes a dead letter', async () => {
    expect((await fetch(`${base}/999`)).status).toBe(404);
    expect((await fetch(`${base}/999/replay`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${base}/999`, { method: 'DELETE' })).status).toBe(404);
    const replayPending = await fetch(`${base}/${ids.pending}/replay`, { method: 'POST' });
    expect(replayPending.status).toBe(409);
    expect(await replayPending.text()).toContain('only a dead letter can be replayed');
    expect((await fetch(`${base}/${ids.pending}`, { method: 'DELETE' })).status).toBe(409);
    expect((await fetch(`${base}/${ids.dead[0]}`, { method: 'DELETE' })).status).toBe(200);
    expect((await fetch(`${base}/${ids.dead[0]}`)).status).toBe(404);
  });

  test('a replay that fails again leaves a dead letter with the new attempt number and error', async () => {
    const r = await fetch(`${base}/${ids.dead[1]}/replay`, { method: 'POST' });
    expect(r.status).toBe(200);
    const body = (await r.json()) as { delivered: boolean; notification: { state: string; attempts: number; lastError: string } };
    expect(body).toMatchObject({ delivered: false, notification: { state: 'dead', attempts: 2 } });
    expect(body.notification.lastError).toContain('503');
  });
});
