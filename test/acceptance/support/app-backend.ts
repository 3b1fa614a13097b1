/**
 * The real application (src/app/app.ts App.create: storage, alert store, config loader, dispatch, HTTP API)
 * on a loopback port, for acceptance scenarios; silences go through the real API.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { App } from '../../../src/app/app';
import { matcherToApi } from '../../../src/matchers';
import type { Matcher } from '../../../src/matchers/types';
import { silentLogger } from '../../../src/types/logger';
import { testAppOptions } from '../../helpers/app-harness';
import type { Collector, TestAlert } from './timeline';

export class AppAlertmanager {
  base = 0;
  url = '';
  app: App | undefined;
  readonly #dir: string;
  readonly #ownsDir: boolean;
  #server: Server | undefined;
  /** scenario silence name -> the ID the server assigned */
  readonly #silenceIds = new Map<string, Promise<string>>();

  constructor(
    readonly yaml: string,
    readonly collectors: readonly Collector[],
    o: { dir?: string } = {},
  ) {
    this.#ownsDir = !o.dir;
    this.#dir = o.dir ?? mkdtempSync(join(tmpdir(), 'tocsin-app-'));
    this.#writeConfig();
  }

  #writeConfig(): void {
    let text = this.yaml;
    for (const c of this.collectors) text = text.split(`{{${c.name}}}`).join(c.url);
    writeFileSync(join(this.#dir, 'config.yml'), text);
  }

  async start(): Promise<void> {
    this.app = await App.create(
      testAppOptions({
        configFile: join(this.#dir, 'config.yml'),
        storagePath: join(this.#dir, 'data'),
        // TOCSIN_TEST_LOG=1 (any non-empty value) prints the app's debug log to stdout, e.g.
        // `TOCSIN_TEST_LOG=1 npx jest test/acceptance/<file>` to see why a scenario failed; unset = silent
        logger: process.env.TOCSIN_TEST_LOG ? pino({ level: 'debug' }) : silentLogger(),
      }),
    );
    await this.app.restored;
    await new Promise<void>((r) => {
      this.#server = this.app!.http.listen(0, '127.0.0.1', () => r());
    });
    this.url = `http://127.0.0.1:${(this.#server!.address() as AddressInfo).port}`;
  }

  /** POST /-/reload, as SIGHUP would. */
  async reload(): Promise<void> {
    const res = await fetch(`${this.url}/-/reload`, { method: 'POST' });
    if (res.status !== 200) throw new Error(`reload failed: ${res.status} ${await res.text()}`);
  }

  async push(...alerts: TestAlert[]): Promise<void> {
    const res = await fetch(`${this.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alerts.map((a) => a.postable(this.base))),
    });
    if (res.status !== 200) throw new Error(`push failed: ${res.status} ${await res.text()}`);
  }

  /**
   * POST /api/v2/silences: active from `start` to `end` (seconds after the timeline base). `id` names the silence
   * in the scenario; the server assigns the real ID (delSilence maps it).
   */
  setSilence(id: string, start: number, end: number, matchers: readonly Matcher[]): Promise<string> {
    const created = (async () => {
      const res = await fetch(`${this.url}/api/v2/silences`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          matchers: matchers.map(matcherToApi),
          startsAt: new Date(this.base + start * 1000).toISOString(),
          endsAt: new Date(this.base + end * 1000).toISOString(),
          createdBy: 'acceptance',
          comment: id,
        }),
      });
      if (res.status !== 200) throw new Error(`POST /api/v2/silences: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { silenceID: string }).silenceID;
    })();
    this.#silenceIds.set(id, created);
    return created;
  }

  /** DELETE /api/v2/silence/{id}: expires the scenario's silence `id` now. */
  async delSilence(id: string): Promise<void> {
    const real = await this.#silenceIds.get(id);
    if (real === undefined) throw new Error(`no silence ${id} in this scenario`);
    const res = await fetch(`${this.url}/api/v2/silence/${real}`, { method: 'DELETE' });
    if (res.status !== 200) throw new Error(`DELETE /api/v2/silence/${real}: ${res.status} ${await res.text()}`);
  }

  async get(path: string): Promise<{ status: number; json: unknown }> {
    const res = await fetch(`${this.url}${path}`);
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => {
      this.#server?.closeAllConnections();
      this.#server?.close(() => r());
    });
    await this.app?.close();
    if (this.#ownsDir) rmSync(this.#dir, { recursive: true, force: true });
  }
}
