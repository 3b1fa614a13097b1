import type { Registry } from 'prom-client';
import type { LoadedConfig } from '../config/types';
import type { MatcherParseMode } from '../matchers/parse';
import type { AlertsProvider } from '../provider/types';
import type { Alert, LabelSet } from '../types/alert';
import type { Clock } from '../types/clock';
import type { Logger } from '../types/logger';
import type { AlertStatus } from '../types/marker';
import type { TocsinStatus } from './tocsin-status';

/** Everything the API reads that changes with a config reload; swapped atomically by the app. */
export interface ApiView {
  loaded: LoadedConfig;
  /** receivers of every route the labels match, in routing order (duplicates possible) */
  receiversFor(labels: LabelSet): string[];
  /** the alert's status computed now (silences, inhibitions) */
  alertStatus(alert: Alert): AlertStatus;
}

/** Build information as /api/v2/status reports it (the app fills it in: src/app/version.ts). */
export interface VersionInfo {
  version: string;
  revision: string;
  branch: string;
  buildUser: string;
  buildDate: string;
  goVersion: string;
}

export interface ClusterStatus {
  name?: string;
  status: 'ready' | 'settling' | 'disabled';
  peers: { name: string; address: string }[];
}

export interface ApiDeps {
  alerts: AlertsProvider;
  view(): ApiView;
  clock: Clock;
  logger: Logger;
  registry: Registry;
  /** matcher parser mode from --enable-feature (classic-mode, utf8-strict-mode, default fallback) */
  matcherMode: MatcherParseMode;
  versionInfo: VersionInfo;
  /** process start, epoch ms */
  startTime: number;
  cluster(): ClusterStatus;
  /**
   * Shared storage (PostgreSQL): the write the handler's last synchronous store call started, awaited before
   * answering (an acknowledged write is durable); rejects with StorageUnavailableError (503). Absent with SQLite,
   * whose writes are durable when the call returns.
   */
  durable?(): Promise<void> | undefined;
  /** Tocsin extension: the `tocsin` object appended to GET /api/v2/status (src/api/tocsin-status.ts) */
  tocsinStatus?(): TocsinStatus;
}
