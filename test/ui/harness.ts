/**
 * Browser-test harness for the web UI: a backend (real Alertmanager, the Tocsin binary, or a URL given in the
 * environment), a small express app serving the built UI through src/api/ui.ts and proxying /api/v2 to the backend,
 * and Chromium through playwright-core (Debian's /usr/bin/chromium, no browser download).
 *
 * Backend selection: UI_TEST_BACKEND=alertmanager (default) | tocsin | http://host:port (already running; its
 * /api/v2 is used, the state it holds is the tests' business).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { uiRoutes } from '../../src/api/ui';
import { freePort } from '../helpers/ports';

const ROOT = path.resolve(__dirname, '..', '..');
export const AM_BIN = '/usr/bin/prometheus-alertmanager';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

export interface Running {
  url: string;
  stop(): Promise<void>;
}

async function waitReady(url: string, child: ChildProcess, logs: () => string, timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${logs()}`);
    try {
      const res = await fetch(`${url}/-/ready`, { redirect: 'follow' });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server at ${url} not ready after ${timeoutMs} ms: ${logs()}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Starts a server binary with Alertmanager's flags on a free loopback port and a temporary storage dir. */
async function startServer(bin: string, args0: string[], configYaml: string, readyPrefix = ''): Promise<Running> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-ui-'));
  const cfg = path.join(dir, 'config.yml');
  writeFileSync(cfg, configYaml);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    bin,
    [...args0, `--config.file=${cfg}`, `--storage.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  try {
    await waitReady(`${url}${readyPrefix}`, child, () => out);
  } catch (e) {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    url,
    async stop() {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function startAlertmanager(configYaml: string): Promise<Running> {
  return startServer(AM_BIN, [], configYaml);
}

/** The Tocsin server from dist/ (built by npm run build), with the same flags as Alertmanager. */
export function startTocsin(configYaml: string, routePrefix = ''): Promise<Running> {
  const bin = path.join(ROOT, 'bin', 'tocsin');
  if (!existsSync(bin) || !existsSync(path.join(ROOT, 'dist'))) throw new Error('bin/tocsin or dist/ missing: run npm run build');
  return startServer(process.execPath, [bin, ...(routePrefix ? [`--web.route-prefix=${routePrefix}`] : [])], configYaml, routePrefix);
}

/**
 * Serves the built UI under `routePrefix` via uiRoutes() and forwards `<prefix>/api/v2/*` to `backendUrl/api/v2/*`.
 */
export async function startUiProxy(
  backendUrl: string,
  routePrefix = '/',
  overrides: Record<string, (query: URLSearchParams) => { status: number; body: unknown }> = {},
): Promise<Running> {
  const app = express();
  const prefix = routePrefix === '/' ? '' : routePrefix;
  // canned answers for endpoints the backend does not have yet (e.g. /api/v2/tocsin/explain)
  for (const [p, fn] of Object.entries(overrides)) {
    app.get(`${prefix}${p}`, (req, res) => {
      const r = fn(new URLSearchParams(req.url.split('?')[1] ?? ''));
      res.status(r.status).json(r.body);
    });
  }
  const backend = new URL(backendUrl);
  app.use(`${prefix}/api/v2`, (req, res) => {
    const upstream = http.request(
      { host: backend.hostname, port: backend.port, method: req.method, path: `/api/v2${req.url}`, headers: { ...req.headers, host: backend.host } },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', (e) => {
      res.status(502).json(`proxy error: ${e.message}`);
    });
    req.pipe(upstream);
  });
  app.use(prefix || '/', uiRoutes({ routePrefix }));
  const server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${prefix}/`,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export interface Backend {
  /** where the browser opens the UI (ends with "/") */
  uiUrl: string;
  /** base URL of the backend's API (for seeding alerts) */
  apiUrl: string;
  kind: string;
  stop(): Promise<void>;
}

/** Starts the backend named by UI_TEST_BACKEND (default: the real Alertmanager) and the UI in front of it. */
export async function startBackend(configYaml: string, opts: { routePrefix?: string; kind?: string } = {}): Promise<Backend> {
  const kind = opts.kind ?? process.env.UI_TEST_BACKEND ?? 'alertmanager';
  if (kind === 'tocsin') {
    // Tocsin serves the UI itself, under --web.route-prefix like Alertmanager
    const prefix = opts.routePrefix && opts.routePrefix !== '/' ? opts.routePrefix : '';
    const t = await startTocsin(configYaml, prefix);
    return { uiUrl: `${t.url}${prefix}/`, apiUrl: `${t.url}${prefix}`, kind, stop: () => t.stop() };
  }
  const server = /^https?:\/\//.test(kind) ? { url: kind.replace(/\/+$/, ''), stop: async () => {} } : await startAlertmanager(configYaml);
  const proxy = await startUiProxy(server.url, opts.routePrefix ?? '/');
  return {
    uiUrl: proxy.url,
    apiUrl: server.url,
    kind,
    async stop() {
      await proxy.stop();
      await server.stop();
    },
  };
}

/** UI_TEST_BACKEND if set, else Alertmanager plus Tocsin when it is built (dist/main.js). */
export function defaultBackends(): string[] {
  if (process.env.UI_TEST_BACKEND) return [process.env.UI_TEST_BACKEND];
  return existsSync(path.join(ROOT, 'dist', 'main.js')) ? ['alertmanager', 'tocsin'] : ['alertmanager'];
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

/** A page in a new context (8 s default timeout, 1280x800 unless `options` say otherwise) whose uncaught errors go to `pageErrors`. */
export async function watchedPage(browser: Browser, pageErrors: string[], options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  context.setDefaultTimeout(8000);
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  return page;
}

export interface TocsinPage {
  backend: Backend;
  browser: Browser;
  page: Page;
  /** uncaught errors of the page so far */
  pageErrors: string[];
  close(): Promise<void>;
}

/** bin/tocsin with `configYaml`, Chromium, and one page (8 s default timeout, 1280x900, the browser's zone UTC). */
export async function openTocsinPage(configYaml: string): Promise<TocsinPage> {
  const [backend, browser] = await Promise.all([startBackend(configYaml, { kind: 'tocsin' }), launchChromium()]);
  const pageErrors: string[] = [];
  const page = await watchedPage(browser, pageErrors, { viewport: { width: 1280, height: 900 }, timezoneId: 'UTC' });
  return {
    backend,
    browser,
    page,
    pageErrors,
    async close() {
      await browser.close();
      await backend.stop();
    },
  };
}

export interface SeedAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  generatorURL?: string;
  startsAt?: string;
  endsAt?: string;
}

export async function postAlerts(apiUrl: string, alerts: SeedAlert[]): Promise<void> {
  const startsAt = new Date().toISOString();
  const endsAt = new Date(Date.now() + 3600e3).toISOString();
  for (let i = 0; i < alerts.length; i += 1000) {
    const batch = alerts.slice(i, i + 1000).map((a) => ({ startsAt, endsAt, ...a }));
    const res = await fetch(`${apiUrl}/api/v2/alerts`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(batch) });
    if (!res.ok) throw new Error(`POST /api/v2/alerts: ${res.status} ${await res.text()}`);
  }
}

export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
  return (await res.json()) as T;
}
