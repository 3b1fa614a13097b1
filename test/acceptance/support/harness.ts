/**
 * In-process Tocsin for acceptance tests: the real HTTP app (src/api/server.ts createHttpApp) with the real
 * alert store (MemAlerts + SQLite), config loader, dispatch subsystem and nflog, listening on a loopback
 * port; webhook collectors on loopback. Swap to the app factory (src/app) once it exists.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Registry } from 'prom-client';
import { alertGroupsRoutes } from '../../../src/api/alert-groups';
import { createHttpApp } from '../../../src/api/server';
import type { ApiDeps, ApiView } from '../../../src/api/types';
import { loadConfigString } from '../../../src/config';
import type { LoadedConfig } from '../../../src/config/types';
import type { Matcher } from '../../../src/matchers/types';
import { MemAlerts } from '../../../src/provider/mem-alerts';
import { createDispatch, createNflog, type Dispatch } from '../../../src/routing/create-dispatch';
import type { Nflog } from '../../../src/nflog/nflog';
import { AlertStore } from '../../../src/store/alerts';
import { type DB, openDatabase } from '../../../src/store/db';
import type { Alert, LabelSet } from '../../../src/types/alert';
import { systemClock } from '../../../src/types/clock';
import { silentLogger } from '../../../src/types/logger';
import { AlertMarker, type AlertStatus } from '../../../src/types/marker';
import type { Collector, TestAlert } from './timeline';

interface TestSilence {
  id: string;
  start: number;
  end: number;
  matchers: Matcher[];
}

/** A stand-in silencer (a Muter) until src/silence lands: silences with a time window and matchers. */
export class TestSilencer {
  readonly silences: TestSilence[] = [];
  constructor(readonly marker: AlertMarker) {}
  silencedBy(labels: LabelSet): string[] {
    const now = Date.now();
    return this.silences.filter((s) => s.start <= now && now < s.end && s.matchers.every((m) => m.matches(labels[m.name] ?? ''))).map((s) => s.id);
  }
  mutes(labels: LabelSet, fp: string): boolean {
    const ids = this.silencedBy(labels);
    this.marker.setSilenced(fp, ids);
    return ids.length > 0;
  }
}

export class TestAlertmanager {
  base = 0;
  url = '';
  readonly marker = new AlertMarker();
  readonly silencer = new TestSilencer(this.marker);
  readonly registry = new Registry();
  readonly #dir: string;
  readonly #db: DB;
  readonly alerts: MemAlerts;
  readonly nflog: Nflog;
  loaded: LoadedConfig;
  dispatch: Dispatch;
  #server: Server | undefined;

  readonly #ownsDir: boolean;

  constructor(
    readonly yaml: string,
    readonly collectors: readonly Collector[],
    o: { dir?: string } = {},
  ) {
    this.#ownsDir = !o.dir;
    this.#dir = o.dir ?? mkdtempSync(join(tmpdir(), 'tocsin-acc-'));
    this.#db = openDatabase(this.#dir);
    this.alerts = new MemAlerts({ clock: systemClock, logger: silentLogger(), store: new AlertStore(this.#db), gcInterval: 30 * 60_000 });
    this.nflog = createNflog({ db: this.#db, clock: systemClock, registry: this.registry });
    this.loaded = this.#load();
    this.dispatch = this.#build();
  }

  #load(): LoadedConfig {
    let text = this.yaml;
    for (const c of this.collectors) text = text.split(`{{${c.name}}}`).join(c.url);
    return loadConfigString(text, join(this.#dir, 'config.yml'));
  }

  #build(): Dispatch {
    return createDispatch({
      config: this.loaded.config,
      alerts: this.alerts,
      marker: this.marker,
      silencer: this.silencer,
      nflog: this.nflog,
      clock: systemClock,
      logger: process.env.TOCSIN_TEST_LOG ? pino({ level: 'debug' }) : silentLogger(),
      registry: this.registry,
      externalURL: 'http://tocsin.test',
      userAgent: 'Alertmanager/0.34.0',
    });
  }

  #view(): ApiView {
    const d = this.dispatch;
    return {
      loaded: this.loaded,
      receiversFor: (labels) => d.receiversFor(labels),
      alertStatus: (a: Alert): AlertStatus => {
        const silencedBy = this.silencer.silencedBy(a.labels);
        const inh = d.inhibitedBy(a.labels);
        const inhibitedBy = inh ? [inh] : [];
        return { state: silencedBy.length + inhibitedBy.length > 0 ? 'suppressed' : 'active', silencedBy, inhibitedBy, mutedBy: [] };
      },
    };
  }

  async start(): Promise<void> {
    const deps: ApiDeps = {
      alerts: this.alerts,
      view: () => this.#view(),
      clock: systemClock,
      logger: silentLogger(),
      registry: this.registry,
      matcherMode: 'fallback',
      versionInfo: { version: '0.34.0', revision: 'test', branch: 'test', buildUser: 'test', buildDate: 'test', goVersion: 'n/a' },
      startTime: Date.now(),
      cluster: () => ({ status: 'disabled', peers: [] }),
    };
    const groups = alertGroupsRoutes({ ...deps, alertGroups: () => this.dispatch.groups() });
    const app = createHttpApp({
      ...deps,
      routePrefix: '/',
      reload: async () => this.reload(),
      apiRouters: () => [groups],
      getConcurrency: 0,
      timeout: 0,
    });
    this.dispatch.start();
    await new Promise<void>((r) => {
      this.#server = app.listen(0, '127.0.0.1', () => r());
    });
    this.url = `http://127.0.0.1:${(this.#server!.address() as AddressInfo).port}`;
  }

  /** Build new, then swap (as the app does on SIGHUP). */
  reload(): void {
    const loaded = this.#load();
    this.loaded = loaded;
    const next = this.#build();
    this.dispatch.stop();
    this.dispatch = next;
    next.start();
  }

  async push(...alerts: TestAlert[]): Promise<void> {
    const res = await fetch(`${this.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alerts.map((a) => a.postable(this.base))),
    });
    if (res.status !== 200) throw new Error(`push failed: ${res.status} ${await res.text()}`);
  }

  setSilence(id: string, start: number, end: number, matchers: Matcher[]): void {
    this.silencer.silences.push({ id, start: this.base + start * 1000, end: this.base + end * 1000, matchers });
  }

  delSilence(id: string): void {
    const s = this.silencer.silences.find((x) => x.id === id);
    if (s) s.end = Date.now();
  }

  async get(path: string): Promise<{ status: number; json: unknown }> {
    const res = await fetch(`${this.url}${path}`);
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  }

  async stop(): Promise<void> {
    this.dispatch.stop();
    this.nflog.stop();
    await new Promise<void>((r) => {
      this.#server?.closeAllConnections();
      this.#server?.close(() => r());
    });
    this.#db.close();
    if (this.#ownsDir) rmSync(this.#dir, { recursive: true, force: true });
  }
}
