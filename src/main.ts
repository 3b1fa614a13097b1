/**
 * The tocsin server process (upstream cmd/alertmanager/main.go): flags, logger, web config, the app, HTTP(S)
 * listeners, SIGHUP reload, SIGINT/SIGTERM graceful stop.
 */
import type http from 'node:http';
import type https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import v8 from 'node:v8';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createListener } from './api/listener';
import { App } from './app/app';
import type { HaOptions } from './app/ha/ha-runtime';
import { FlagError, type Flags, parseFlags, resolveWebPaths, splitHostPort } from './app/flags';
import { logConfigLoadFailure } from './app/config-error-log';
import { ignoredConfigNotices, logEnabledFeatures } from './app/features';
import { createLogger } from './app/logger';
import { ALERTMANAGER_COMPAT_VERSION, TOCSIN_VERSION } from './app/version';
import { loadConfigPair } from './config';
import { matcherModeFromFeatures } from './matchers/parse';
import { STORAGE_EXIT_CODE, StorageError } from './store/db';
import { systemClock } from './types/clock';
import type { Logger } from './types/logger';
import { WebConfigWatcher } from './web/web-config';

function fail(msg: string): never {
  process.stderr.write(`tocsin: error: ${msg}\n`);
  process.exit(1);
}

/** Only a --cluster.peer asks for gossip (a listen address alone is upstream's default, so every start has one). */
function logClusterFlags(flags: Flags, logger: Logger): void {
  const explicit = flags.clusterFlagsGiven;
  // with PostgreSQL the replicas form the cluster; prometheus-operator always passes --cluster.* flags
  if (flags.clusterPeers.length === 0 || flags.storageUrl !== '') return;
  logger.warn(
    { listen: flags.clusterListenAddress, peers: flags.clusterPeers.length, flags: explicit.join(',') || undefined },
    'Tocsin does not use gossip clustering: --cluster.* flags are accepted and ignored; run instances independently (each receives alerts from Prometheus); silences and the notification log are not shared',
  );
}

/** The replica's identity: name and advertised address default to <hostname>:<first web port>. */
function haOptions(flags: Flags, logger: Logger): HaOptions {
  let self: string;
  try {
    self = `${os.hostname()}:${splitHostPort(flags.webListenAddresses[0] ?? ':9093').port}`;
  } catch (e) {
    fail((e as Error).message);
  }
  const o: HaOptions = {
    url: flags.storageUrl,
    replica: flags.haReplicaName || self,
    address: flags.haAdvertiseAddress || self,
    leaseDuration: flags.haLeaseDuration,
  };
  // loaded here: a SQLite start does not load the PostgreSQL client
  const { redactPgUrl } = require('./store/postgres/connect') as typeof import('./store/postgres/connect');
  logger.info({ storage: redactPgUrl(o.url), replica: o.replica, address: o.address }, 'Using PostgreSQL storage');
  return o;
}

export async function main(argv: readonly string[]): Promise<void> {
  let flags: Flags;
  try {
    const r = parseFlags(argv);
    if (r.kind === 'help') {
      process.stdout.write(r.text);
      return;
    }
    if (r.kind === 'version') {
      process.stdout.write(
        `tocsin, version ${TOCSIN_VERSION} (compatible with alertmanager ${ALERTMANAGER_COMPAT_VERSION})\n  node version: ${process.versions.node}\n`,
      );
      return;
    }
    flags = r.flags;
  } catch (e) {
    if (e instanceof FlagError) fail(e.message);
    throw e;
  }
  const logger = createLogger({ level: flags.logLevel, format: flags.logFormat });
  logger.info({ version: TOCSIN_VERSION, compatible_with: `alertmanager ${ALERTMANAGER_COMPAT_VERSION}` }, 'Starting Tocsin');
  logClusterFlags(flags, logger);
  logEnabledFeatures(flags.features, logger);
  if (flags.raw['web.systemd-socket'] === 'true') fail('--web.systemd-socket is not supported by Tocsin');

  let watcher: WebConfigWatcher | undefined;
  const servers: (http.Server | https.Server)[] = [];
  if (flags.webConfigFile !== '') {
    try {
      watcher = new WebConfigWatcher(flags.webConfigFile, {
        onTls: (tls) => {
          // TLS settings come only with TLS listeners, which loaded node:https (src/api/listener.ts)
          const { Server: HttpsServer } = require('node:https') as typeof import('node:https');
          for (const s of servers) if (s instanceof HttpsServer) s.setSecureContext(tls);
          logger.info({ file: flags.webConfigFile }, 'Reloaded TLS settings of the web config');
        },
        onError: (e) => logger.error({ file: flags.webConfigFile, err: e.message }, 'Invalid web config file; keeping the previous settings'),
      });
    } catch (e) {
      fail(`invalid --web.config.file: ${(e as Error).message}`);
    }
  }
  const web = watcher?.config;

  let paths: { externalURL: string; routePrefix: string };
  try {
    paths = resolveWebPaths(flags.webExternalUrl, flags.webRoutePrefix, flags.webListenAddresses[0] ?? ':9093', os.hostname());
  } catch (e) {
    fail((e as Error).message);
  }

  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const before = watcher ? [watcher.middleware()] : [];

  const mode = matcherModeFromFeatures(flags.features);
  const noticeIgnoredBlocks = ignoredConfigNotices(logger);
  // every load (startup, SIGHUP, /-/reload) logs what upstream logs as warnings, and ignored blocks once
  const loadConfig = async (file: string) => {
    const loaded = await loadConfigPair(file, flags.tocsinConfigFile || undefined, { matcherMode: mode });
    for (const w of loaded.warnings) logger.warn({ file }, w);
    noticeIgnoredBlocks(loaded.config, file);
    return loaded;
  };
  let app: App;
  try {
    app = await App.create({
      configFile: flags.configFile,
      storagePath: flags.storagePath,
      dataRetention: flags.dataRetention,
      alertsGcInterval: flags.alertsGcInterval,
      maintenanceInterval: flags.dataMaintenanceInterval,
      perAlertnameLimit: flags.alertsPerAlertnameLimit,
      maxSilences: flags.maxSilences,
      maxSilenceSizeBytes: flags.maxSilenceSizeBytes,
      logSilences: flags.logSilences,
      externalURL: paths.externalURL,
      routePrefix: paths.routePrefix,
      features: flags.features,
      clock: systemClock,
      logger,
      registry,
      loadConfig,
      getConcurrency: flags.webGetConcurrency,
      webTimeout: flags.webTimeout,
      dispatchStartDelay: flags.dispatchStartDelay,
      history: flags.history,
      requestLimits: { maxRequestBytes: flags.apiMaxRequestBytes, maxDecompressedBytes: flags.apiMaxDecompressedBytes, maxAlertsPerRequest: flags.apiMaxAlertsPerRequest },
      before,
      ...(flags.storageUrl !== '' ? { ha: haOptions(flags, logger) } : {}),
    });
  } catch (e) {
    if (e instanceof StorageError) {
      logger.error({ file: e.file, err: e.message }, 'Opening storage failed');
      process.exit(STORAGE_EXIT_CODE);
    }
    logConfigLoadFailure(logger, flags.configFile, e);
    process.exit(1);
  }
  logger.info({ file: flags.configFile, externalURL: paths.externalURL, routePrefix: paths.routePrefix }, 'Completed loading of configuration file');
  // bin/tocsin starts with V8's optimizing compiler off and its young generation kept small (the start's code runs
  // once); the server's work wants V8's defaults
  v8.setFlagsFromString('--turbofan --semi-space-growth-factor=2');

  for (const addr of flags.webListenAddresses) {
    let hp: { host: string; port: number };
    try {
      hp = splitHostPort(addr);
    } catch (e) {
      fail((e as Error).message);
    }
    const server = createListener(app.http, web?.tls);
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(hp.port, hp.host === '' ? undefined : hp.host, () => {
        server.off('error', reject);
        resolve();
      });
    }).catch((e: Error) => {
      logger.error({ address: addr, err: e.message }, 'Listen error');
      process.exit(1);
    });
    const a = server.address() as AddressInfo;
    const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
    logger.info({ address: `${host}:${a.port}`, http2: false, tls: Boolean(web?.tls) }, 'Listening on');
    servers.push(server);
  }
  // the stored alerts load while the server answers (/-/ready: 503 until then); a damaged store stops it as at open
  app.restored.catch((e: unknown) => {
    if (e instanceof StorageError) logger.error({ file: e.file, err: e.message }, 'Opening storage failed');
    else logger.error({ err: String(e) }, 'Loading stored alerts failed');
    process.exit(STORAGE_EXIT_CODE);
  });
  // the HTTP client (its send thread, notifiers/shared/send-thread) starts when a first group is created (its
  // group_wait is ahead), not at startup: no idle memory for it while no alert waits for a notification

  process.on('SIGHUP', () => {
    app.reload().catch(() => undefined); // the error is logged by reload; the old config keeps running
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Received shutdown signal, exiting gracefully...');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    Promise.all(
      servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.close(() => resolve());
            s.closeIdleConnections?.();
          }),
      ),
    )
      .then(() => app.close())
      .then(
        () => {
          logger.info('See you next time!');
          process.exit(0);
        },
        (e) => {
          logger.error({ err: String(e) }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('terminated'));
  process.on('SIGINT', () => stop('interrupt'));
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`tocsin: fatal: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
