import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Registry } from 'prom-client';
import { App, type AppOptions } from '../../src/app/app';
import { loadConfigFile, loadConfigPair } from '../../src/config';
import { type Clock, systemClock } from '../../src/types/clock';
import { silentLogger } from '../../src/types/logger';

export const MINIMAL_CONFIG = 'route:\n  receiver: default\nreceivers:\n  - name: default\n';

/** One group per instance held back for an hour (no flush during a test); critical inhibits warning per cluster. */
export const HELD_GROUPS_INHIBIT_CONFIG = `
route: {receiver: default, group_by: [instance], group_wait: 1h}
receivers: [{name: default}]
inhibit_rules:
  - source_matchers: [severity="critical"]
    target_matchers: [severity="warning"]
    equal: [cluster]
`;

/** App options for tests: the given config file and storage, upstream's defaults, silent, no UI, a fresh registry. */
export function testAppOptions(o: { configFile: string; storagePath: string } & Partial<AppOptions>): AppOptions {
  return {
    dataRetention: 120 * 3600_000,
    alertsGcInterval: 30 * 60_000,
    externalURL: 'http://tocsin.test',
    routePrefix: '/',
    features: [],
    clock: systemClock,
    logger: silentLogger(),
    registry: new Registry(),
    loadConfig: (f) => loadConfigFile(f),
    ui: false,
    ...o,
  };
}

export interface Harness {
  app: App;
  url: string;
  dir: string;
  configFile: string;
  /** the --tocsin.config.file written from `tocsin` (absent when none was given) */
  tocsinFile?: string;
  registry: Registry;
  close(): Promise<void>;
}

/**
 * The whole app in-process on a real loopback port (127.0.0.1:0) with a real SQLite file in a temp dir.
 * `tocsin`: the text of a --tocsin.config.file, loaded and reloaded with the config (as main.ts does).
 */
export async function startApp(opts: { config?: string; tocsin?: string; clock?: Clock; options?: Partial<AppOptions> } = {}): Promise<Harness> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-app-'));
  const configFile = path.join(dir, 'alertmanager.yml');
  writeFileSync(configFile, opts.config ?? MINIMAL_CONFIG);
  const tocsinFile = opts.tocsin !== undefined ? path.join(dir, 'tocsin-settings.yml') : undefined;
  if (tocsinFile) writeFileSync(tocsinFile, opts.tocsin!);
  const registry = new Registry();
  const app = await App.create(
    testAppOptions({
      configFile,
      storagePath: path.join(dir, 'data'),
      clock: opts.clock ?? systemClock,
      registry,
      ...(tocsinFile ? { loadConfig: (f: string) => loadConfigPair(f, tocsinFile) } : {}),
      ...opts.options,
    }),
  );
  await app.restored;
  const server: Server = await new Promise((resolve) => {
    const s = app.http.listen(0, '127.0.0.1', () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  const prefix = opts.options?.routePrefix && opts.options.routePrefix !== '/' ? opts.options.routePrefix : '';
  return {
    app,
    url: `http://127.0.0.1:${port}${prefix}`,
    dir,
    configFile,
    ...(tocsinFile ? { tocsinFile } : {}),
    registry,
    async close() {
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function postAlerts(url: string, body: unknown, contentType = 'application/json'): Promise<{ status: number; text: string; contentType: string | null }> {
  const r = await fetch(`${url}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'Content-Type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: r.status, text: await r.text(), contentType: r.headers.get('content-type') };
}

/** POST /api/v2/silences: a silence of equality matchers from now for an hour; resolves with its ID. */
export async function postSilence(url: string, labels: Record<string, string>): Promise<string> {
  const r = await fetch(`${url}/api/v2/silences`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      matchers: Object.entries(labels).map(([name, value]) => ({ name, value, isRegex: false, isEqual: true })),
      startsAt: new Date().toISOString(),
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      createdBy: 'test',
      comment: 'test',
    }),
  });
  if (r.status !== 200) throw new Error(`POST /api/v2/silences: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { silenceID: string }).silenceID;
}
