/**
 * The app in-process on a directory of its own (alertmanager.yml + SQLite data) with tocsin.yml given decoded
 * (as the loader of --tocsin.config.file hands it over), on a loopback port; restartable on the same directory.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Registry } from 'prom-client';
import { App } from '../../src/app/app';
import { loadConfigFile } from '../../src/config';
import type { TocsinConfig } from '../../src/types/tocsin-config';
import { testAppOptions } from '../helpers/app-harness';

export interface Running {
  app: App;
  url: string;
  registry: Registry;
  stop(): Promise<void>;
}

/** the app on `dir` (config file + SQLite data), with tocsin.yml decoded as `t` */
export async function run(dir: string, t: TocsinConfig): Promise<Running> {
  const registry = new Registry();
  const app = await App.create(
    testAppOptions({
      configFile: path.join(dir, 'alertmanager.yml'),
      storagePath: path.join(dir, 'data'),
      registry,
      loadConfig: async (f) => ({ ...(await loadConfigFile(f)), tocsin: { config: t, file: path.join(dir, 'tocsin.yml'), hash: 'test' } }),
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
