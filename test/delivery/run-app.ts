/**
 * The app in-process on a directory of its own (alertmanager.yml, tocsin.yml, SQLite data), both files loaded
 * as --config.file and --tocsin.config.file are, on a loopback port; restartable on the same directory.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Registry } from 'prom-client';
import { App } from '../../src/app/app';
import { writeFileSync } from 'node:fs';
import { loadConfigPair } from '../../src/config/tocsin/with-main';
import { testAppOptions } from '../helpers/app-harness';

export interface Running {
  app: App;
  url: string;
  registry: Registry;
  stop(): Promise<void>;
}

/** the app on `dir` (its alertmanager.yml and SQLite data), with this tocsin.yml text */
export async function run(dir: string, tocsinYml: string): Promise<Running> {
  const tocsinFile = path.join(dir, 'tocsin.yml');
  writeFileSync(tocsinFile, tocsinYml);
  const registry = new Registry();
  const app = await App.create(
    testAppOptions({
      configFile: path.join(dir, 'alertmanager.yml'),
      storagePath: path.join(dir, 'data'),
      registry,
      loadConfig: (f) => loadConfigPair(f, tocsinFile),
    }),
  );
  await app.restored;
  const server: Server = await new Promise((resolve) => {
    const s = app.http.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    app,
    registry,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async stop() {
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
      await app.close();
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `f` every 25 ms until it holds; throws after `ms`. */
export async function until(what: string, f: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}
