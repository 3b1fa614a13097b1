/**
 * The persistent outbox on the real process (issue 15), with real HTTP receivers that answer 503 while "down":
 * - a receiver down for a while, then up: every missed notification arrives after recovery, in order, once;
 * - with a short deadline they are dead letters; a replay (API) delivers each once, the same bytes;
 * - kill -9 while the outbox is delivering: none lost, none duplicated but the one in flight at the kill.
 * Real time: the receiver is down for 60 s, as in the issue (the flush deadline is Tocsin's minimum, 10 s).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { tocsinctlProcess } from '../cli/harness';
import { ensureBuilt } from '../helpers/build';
import { waitFor } from '../helpers/ports';
import { startTocsin, type TocsinProcess } from '../helpers/tocsin-process';

interface Delivery {
  group: string;
  alerts: number;
  at: number;
  sha256: string;
}

/** A webhook receiver: 503 while `down`, else 200 after `delayMs`; records every 200 it answers. */
class Sink {
  down = true;
  delayMs = 0;
  readonly delivered: Delivery[] = [];
  #server?: Server;
  url = '';
  async start(): Promise<void> {
    this.#server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        if (this.down) {
          res.writeHead(503).end('down');
          return;
        }
        const p = JSON.parse(body) as { groupLabels: Record<string, string>; alerts: unknown[] };
        setTimeout(() => {
          this.delivered.push({ group: p.groupLabels.alertname ?? '', alerts: p.alerts.length, at: Date.now(), sha256: createHash('sha256').update(body).digest('hex') });
          res.writeHead(200).end('ok');
        }, this.delayMs);
      });
    });
    await new Promise<void>((r) => this.#server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.#server!.address() as AddressInfo).port}/`;
  }
  stop(): Promise<void> {
    this.#server?.closeAllConnections();
    return new Promise((r) => this.#server?.close(() => r()) ?? r());
  }
  groups(): string[] {
    return this.delivered.map((d) => d.group);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** how long the receivers answer 503 */
const DOWN_MS = 60_000;

interface NotificationJson {
  id: number;
  state: string;
  receiver: string;
  groupLabels: Record<string, string>;
  attempts: number;
  lastError?: string;
  payload: { requests: number; sha256: string[] };
}

async function push(url: string, names: string[]): Promise<void> {
  const alerts = names.map((n) => ({ labels: { alertname: n }, endsAt: new Date(Date.now() + 3600_000).toISOString() }));
  const r = await fetch(`${url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alerts) });
  expect(r.status).toBe(200);
}

async function listNotifications(url: string, query: string): Promise<NotificationJson[]> {
  const r = await fetch(`${url}/api/v2/tocsin/notifications?${query}`);
  expect(r.status).toBe(200);
  return ((await r.json()) as { notifications: NotificationJson[] }).notifications;
}

function config(pager: Sink, short: Sink): string {
  return `
route:
  receiver: pager
  group_by: [alertname]
  group_wait: 100ms
  group_interval: 1s
  repeat_interval: 1h
  routes:
    - matchers: ['alertname=~"S.*"']
      receiver: short
receivers:
  - name: pager
    webhook_configs: [{url: "${pager.url}"}]
  - name: short
    webhook_configs: [{url: "${short.url}"}]
`;
}

const TOCSIN_YML = `
receivers:
  pager:
    outbox: {deadline: 1h, min_backoff: 1s, max_backoff: 2s}
  short:
    outbox: {deadline: 14s, min_backoff: 1s, max_backoff: 1s}
`;

describe('persistent outbox (process)', () => {
  let dir: string;
  let pager: Sink;
  let short: Sink;
  let p: TocsinProcess | undefined;
  let files: { configFile: string; tocsinFile: string };
  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-outbox-'));
    pager = new Sink();
    short = new Sink();
    await pager.start();
    await short.start();
    files = { configFile: path.join(dir, 'alertmanager.yml'), tocsinFile: path.join(dir, 'tocsin.yml') };
    writeFileSync(files.configFile, config(pager, short));
    writeFileSync(files.tocsinFile, TOCSIN_YML);
  }, 120_000);
  afterAll(async () => {
    await p?.stop('SIGKILL');
    await pager.stop();
    await short.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const start = () => startTocsin({ configFile: files.configFile, storagePath: path.join(dir, 'data'), args: [`--tocsin.config.file=${files.tocsinFile}`] });

  it('a receiver down, then up: every missed notification arrives after recovery, in order, once; with a short deadline they are dead letters a replay delivers once', async () => {
    p = await start();
    const firstPush = Date.now();
    const groups = ['G1', 'G2', 'G3', 'G4', 'G5'];
    for (const g of groups) {
      await push(p.url, [g]);
      await sleep(1500);
    }
    await push(p.url, ['S1', 'S2']);
    // G1's flush gives up at its 10 s deadline: it and every later one wait in the outbox
    const pending = await waitFor(async () => {
      const l = await listNotifications(p!.url, 'state=pending&receiver=pager');
      return l.length === groups.length && l;
    }, { timeoutMs: 30_000, what: 'five pending notifications' });
    expect(pending.map((n) => n.groupLabels.alertname).sort()).toEqual(groups);
    expect(pending.every((n) => n.payload.requests === 1)).toBe(true);
    // explain tells that G1's notification waits in the outbox
    const [g1] = (await (await fetch(`${p.url}/api/v2/alerts?filter=alertname%3D%22G1%22`)).json()) as { fingerprint: string }[];
    const ex = (await (await fetch(`${p.url}/api/v2/tocsin/explain?fingerprint=${g1!.fingerprint}`)).json()) as { receivers: { name: string; integrations: { outboxPending?: number }[] }[] };
    expect(ex.receivers.find((r) => r.name === 'pager')?.integrations[0]?.outboxPending).toBe(1);
    const metrics = await (await fetch(`${p.url}/metrics`)).text();
    expect(metrics).toMatch(/tocsin_outbox_pending\{receiver="pager",integration="webhook"\} 5/);
    // the short receiver's deadline (14 s after its flush) passes while it is down: dead letters
    const dead = await waitFor(async () => {
      const l = await listNotifications(p!.url, 'state=dead&receiver=short');
      return l.length === 2 && l;
    }, { timeoutMs: 30_000, what: 'two dead letters' });
    expect(dead.map((n) => n.lastError).join()).toContain('503');

    // down for DOWN_MS in all, counted from the first push
    await sleep(Math.max(0, DOWN_MS - (Date.now() - firstPush)));
    expect(pager.delivered).toEqual([]);
    const up = Date.now();
    pager.down = false;
    short.down = false;
    await waitFor(async () => pager.delivered.length >= groups.length, { timeoutMs: 20_000, what: 'the missed notifications' });
    await sleep(3000);
    expect(pager.groups()).toEqual(groups);
    expect(pager.delivered.every((d) => d.at >= up)).toBe(true);
    // the bytes of each flush's first attempt
    const stored = new Map(pending.map((n) => [n.groupLabels.alertname, n.payload.sha256[0]]));
    expect(pager.delivered.map((d) => d.sha256)).toEqual(groups.map((g) => stored.get(g)));
    expect(await listNotifications(p.url, 'receiver=pager')).toEqual([]);
    expect(short.delivered).toEqual([]);

    // tocsinctl lists them; replays the first; the API replays the other
    const listed = await tocsinctlProcess([`--alertmanager.url=${p.url}`, 'notification', 'list', '--state', 'dead', '-o', 'json']);
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as NotificationJson[]).map((n) => n.id)).toEqual(dead.map((n) => n.id));
    const simple = await tocsinctlProcess([`--alertmanager.url=${p.url}`, 'notification', 'list', '--receiver', 'short']);
    expect(simple.stdout).toMatch(/^ID\s+State\s+Receiver\s+Integration/);
    expect(simple.stdout).toContain('webhook[0]');
    const first = dead[0]!;
    const replayed = await tocsinctlProcess([`--alertmanager.url=${p.url}`, 'notification', 'replay', String(first.id), '-o', 'json']);
    expect(replayed.code).toBe(0);
    expect((JSON.parse(replayed.stdout) as NotificationJson[])[0]!.attempts).toBe(first.attempts + 1);
    expect((await fetch(`${p.url}/api/v2/tocsin/notifications/${first.id}/replay`, { method: 'POST' })).status).toBe(404);
    // replay the other over the API: delivered once, the stored bytes; a second replay finds nothing
    for (const d of dead.slice(1)) {
      const r = await fetch(`${p.url}/api/v2/tocsin/notifications/${d.id}/replay`, { method: 'POST' });
      expect(r.status).toBe(200);
      const body = (await r.json()) as { delivered: boolean; notification: NotificationJson };
      expect(body.delivered).toBe(true);
      expect(body.notification.attempts).toBe(d.attempts + 1);
      expect((await fetch(`${p.url}/api/v2/tocsin/notifications/${d.id}/replay`, { method: 'POST' })).status).toBe(404);
    }
    expect(short.delivered.map((d) => d.sha256).sort()).toEqual(dead.map((n) => n.payload.sha256[0]).sort());
    expect(short.delivered).toHaveLength(2);
    const bad = await fetch(`${p.url}/api/v2/tocsin/notifications?state=gone`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('bad state');
    // the history has every step (its writer commits in batches)
    const count = async (kind: string) => ((await (await fetch(`${p!.url}/api/v2/tocsin/history?kind=${kind}&limit=100`)).json()) as { events: unknown[] }).events.length;
    await waitFor(async () => (await count('outbox_replayed')) === 2, { what: 'two outbox_replayed events' });
    expect(await count('outbox_delivered')).toBe(5);
    expect(await count('outbox_dead_lettered')).toBe(2);
    expect(await count('outbox_enqueued')).toBe(7);
    await p.stop();
    p = undefined;
  }, 180_000);

  it('kill -9 while retrying and while delivering: none lost, none duplicated but the one in flight', async () => {
    pager.delivered.length = 0;
    pager.down = true;
    p = await start();
    const groups = ['K1', 'K2', 'K3', 'K4', 'K5', 'K6'];
    await push(p.url, groups);
    await waitFor(async () => (await listNotifications(p!.url, 'state=pending&receiver=pager')).length === groups.length, { timeoutMs: 30_000, what: 'six pending notifications' });
    // killed while retrying (the receiver still down): all six are there after the restart
    await p.stop('SIGKILL');
    p = await start();
    expect(await listNotifications(p.url, 'state=pending&receiver=pager')).toHaveLength(groups.length);
    // up, but slow: the outbox delivers one every 400 ms; kill it after two
    pager.delayMs = 400;
    pager.down = false;
    await waitFor(async () => pager.delivered.length >= 2, { timeoutMs: 20_000, what: 'two deliveries' });
    await p.stop('SIGKILL');
    p = await start();
    await waitFor(async () => new Set(pager.groups()).size === groups.length, { timeoutMs: 30_000, what: 'every notification' });
    await sleep(3000);
    const got = pager.groups();
    expect(new Set(got)).toEqual(new Set(groups));
    // at most the one in flight at the kill arrives twice
    expect(got.length - groups.length).toBeLessThanOrEqual(1);
    expect(await listNotifications(p.url, 'receiver=pager')).toEqual([]);
  }, 120_000);
});
