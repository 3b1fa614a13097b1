/**
 * Acknowledge and escalate (issue 16) in the whole app, in-process, on real time with short intervals, real
 * SQLite files and a real HTTP receiver: an ack stops repeats until a new alert joins, resolved still goes out;
 * escalation steps fire only without an ack, an ack stops them, and a restart continues where it was.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { App } from '../../src/app/app';
import { loadConfigPair } from '../../src/config';
import { testAppOptions } from '../helpers/app-harness';
import { Sink, sleep } from './sink';

jest.setTimeout(30_000);

interface Running {
  app: App;
  url: string;
  close(): Promise<void>;
}

/** The app on `dir`'s alertmanager.yml and, when `tocsin` is given, a tocsin.yml with that text (the real loader). */
async function start(dir: string, tocsin?: string): Promise<Running> {
  const tocsinFile = tocsin === undefined ? undefined : path.join(dir, 'tocsin.yml');
  if (tocsinFile) writeFileSync(tocsinFile, tocsin!);
  const app = await App.create(
    testAppOptions({
      configFile: path.join(dir, 'alertmanager.yml'),
      storagePath: path.join(dir, 'data'),
      loadConfig: (f) => loadConfigPair(f, tocsinFile),
    }),
  );
  await app.restored;
  const server: Server = await new Promise((r) => {
    const s = app.http.listen(0, '127.0.0.1', () => r(s));
  });
  return {
    app,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
      await app.close();
    },
  };
}

function config(sink: Sink, repeat: string, groupInterval = '300ms'): string {
  const hook = (p: string) => `webhook_configs: [{url: "${sink.url}/${p}", send_resolved: true}]`;
  return `
route: {receiver: team, group_by: [service], group_wait: 100ms, group_interval: ${groupInterval}, repeat_interval: ${repeat}}
receivers:
  - {name: team, ${hook('team')}}
  - {name: pager, ${hook('pager')}}
  - {name: manager, ${hook('manager')}}
`;
}

async function postAlert(url: string, name: string, endsAt?: string): Promise<void> {
  const r = await fetch(`${url}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify([{ labels: { alertname: name, service: 'db' }, annotations: {}, ...(endsAt ? { endsAt } : {}) }]),
  });
  expect(r.status).toBe(200);
}

async function ack(url: string, groupKey: string, receiver = 'team'): Promise<{ status: number; body: unknown }> {
  const r = await fetch(`${url}/api/v2/tocsin/acks`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ groupKey, receiver, createdBy: 'alice', comment: 'looking' }),
  });
  return { status: r.status, body: await r.json() };
}

const GROUP = '{}:{service="db"}';
let dir: string;
let sink: Sink;
beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-ack-'));
  sink = await new Sink().start();
});
afterEach(async () => {
  await sink.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('ack: repeats stop while acked, come back when a new alert joins; resolved still goes out', async () => {
  writeFileSync(path.join(dir, 'alertmanager.yml'), config(sink, '1s'));
  const t = await start(dir);
  try {
    await postAlert(t.url, 'A');
    const first = await sink.waitFor('/team', 5000);
    // repeats every ~1 s without an ack
    await sink.waitFor('/team', 5000, (r) => r.reason === 'repeat interval elapsed');
    expect(await ack(t.url, 'no-such-group')).toEqual({ status: 404, body: expect.stringContaining('groupKey') });
    const created = await ack(t.url, GROUP);
    expect(created.status).toBe(200);
    const { ackID } = created.body as { ackID: string };
    const groups = (await (await fetch(`${t.url}/api/v2/alerts/groups`)).json()) as { tocsinAck?: { ackID: string; createdBy: string } }[];
    expect(groups[0]?.tocsinAck).toMatchObject({ ackID, createdBy: 'alice' });
    const before = sink.to('/team').length;
    await sleep(3000);
    // at most one repeat that was on its way as the ack was made
    expect(sink.to('/team').length - before).toBeLessThanOrEqual(1);
    const settled = sink.to('/team').length;
    await postAlert(t.url, 'B');
    await sink.waitFor('/team', 5000, (r) => r.reason === 'new alerts added');
    // the ack ended with the change: repeats come back
    await sink.waitFor('/team', 5000, (r) => r.reason === 'repeat interval elapsed' && r.alerts.length === 2);
    expect(sink.to('/team').length).toBeGreaterThan(settled + 1);
    const list = (await (await fetch(`${t.url}/api/v2/tocsin/acks?active=false`)).json()) as { ackID: string; endReason?: string }[];
    expect(list.find((x) => x.ackID === ackID)?.endReason).toBe('alerts changed');
    // acked again, then B resolves: the resolved notification goes out
    expect((await ack(t.url, GROUP)).status).toBe(200);
    await postAlert(t.url, 'B', new Date(Date.now() - 1000).toISOString());
    await sink.waitFor('/team', 5000, (r) => r.reason === 'some alerts resolved');
    expect(first.status).toBe('firing');
  } finally {
    await t.close();
  }
});

const ESCALATION = `
receivers:
  team:
    escalation:
      - {after: 2s, receiver: pager}
      - {after: 4s, receiver: manager}
`;

test('escalation: each step fires at its time when nobody acknowledges', async () => {
  writeFileSync(path.join(dir, 'alertmanager.yml'), config(sink, '1h'));
  const t = await start(dir, ESCALATION);
  try {
    await postAlert(t.url, 'A');
    const first = await sink.waitFor('/team', 5000);
    const pager = await sink.waitFor('/pager', 5000);
    const manager = await sink.waitFor('/manager', 7000);
    expect(pager.at - first.at).toBeGreaterThanOrEqual(1900);
    expect(pager.at - first.at).toBeLessThan(3500);
    expect(manager.at - first.at).toBeGreaterThanOrEqual(3900);
    expect(manager.at - first.at).toBeLessThan(5500);
    expect(pager.receiver).toBe('pager');
    const groups = (await (await fetch(`${t.url}/api/v2/alerts/groups`)).json()) as { tocsinEscalation?: { reached: string[] } }[];
    expect(groups[0]?.tocsinEscalation?.reached).toEqual(['pager', 'manager']);
    // resolved: every receiver reached gets it
    await postAlert(t.url, 'A', new Date(Date.now() - 1000).toISOString());
    await sink.waitFor('/manager', 5000, (r) => r.status === 'resolved');
    await sink.waitFor('/pager', 5000, (r) => r.status === 'resolved');
  } finally {
    await t.close();
  }
});

test('escalation: an ack stops it before the next step', async () => {
  writeFileSync(path.join(dir, 'alertmanager.yml'), config(sink, '1h'));
  const t = await start(dir, ESCALATION);
  try {
    await postAlert(t.url, 'A');
    const first = await sink.waitFor('/team', 5000);
    await sink.waitFor('/pager', 5000);
    expect((await ack(t.url, GROUP)).status).toBe(200);
    await sleep(Math.max(0, first.at + 5500 - Date.now()));
    expect(sink.to('/manager')).toEqual([]);
    const fp = ((await (await fetch(`${t.url}/api/v2/alerts`)).json()) as { fingerprint: string }[])[0]!.fingerprint;
    const ex = (await (await fetch(`${t.url}/api/v2/tocsin/explain?fingerprint=${fp}`)).json()) as { routes: { ack?: unknown; escalation?: { stopReason?: string; reached: string[] } }[] };
    expect(ex.routes[0]?.ack).toMatchObject({ createdBy: 'alice' });
    expect(ex.routes[0]?.escalation).toMatchObject({ stopReason: 'acknowledged', reached: ['pager'] });
    const hist = (await (await fetch(`${t.url}/api/v2/tocsin/history?kind=escalation_step&kind=escalation_stopped&kind=ack_created`)).json()) as { events: { kind: string }[] };
    expect(hist.events.map((e) => e.kind).sort()).toEqual(['ack_created', 'escalation_step', 'escalation_stopped']);
  } finally {
    await t.close();
  }
});

test('escalation: a restart in the middle continues where it was', async () => {
  // the group's next flush after the restart is 10 s away: the step due at 4 s must not wait for it
  writeFileSync(path.join(dir, 'alertmanager.yml'), config(sink, '1h', '10s'));
  let t = await start(dir, ESCALATION);
  await postAlert(t.url, 'A');
  const first = await sink.waitFor('/team', 5000);
  await sink.waitFor('/pager', 5000);
  // the stop comes once the notification log holds both notifications (each logged after its receiver answered:
  // a stop before that aborts the flush, which runs again after the restart, by design)
  const logged = () => ['team', 'pager'].every((r) => t.app.core.nflog.query(GROUP, { groupName: r, integration: 'webhook', idx: 0 }));
  for (let i = 0; !logged(); i++) {
    if (i > 200) throw new Error('the notifications are not in the notification log');
    await sleep(25);
  }
  await t.close();
  t = await start(dir, ESCALATION);
  try {
    const restartedAt = Date.now();
    const manager = await sink.waitFor('/manager', 7000);
    // due 4 s after the first notification, not 4 s after the restart
    expect(manager.at - first.at).toBeLessThan(5500);
    expect(manager.at - restartedAt).toBeLessThan(3500);
    // nothing was sent twice across the restart
    expect(sink.to('/team')).toHaveLength(1);
    expect(sink.to('/pager')).toHaveLength(1);
  } finally {
    await t.close();
  }
});
