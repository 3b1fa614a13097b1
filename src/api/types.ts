import type { Registry } from 'prom-client';
import type { LoadedConfig } from '../config/types';
import type { MatcherParseMode } from '../matchers/parse';
import type { AlertsProvider } from '../provider/types';
import type { Alert, LabelSet } from '../types/alert';
import type { ClusterStatus as WireClusterStatus, PeerStatus, VersionInfo } from '../wire/api';

export type { VersionInfo };
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

/** The wire type (src/wire/api.ts) with peers always present, as the server writes them. */
export type ClusterStatus = WireClusterStatus & { peers: PeerStatus[] };

/** Bounds on one request (--tocsin.api.* flags); 0 = no limit. */
export interface RequestLimits {
  /** body bytes as sent (compressed or not) */
  maxRequestBytes: number;
  /** body bytes after decompression */
  maxDecompressedBytes: number;
  /** alerts in one POST /api/v2/alerts */
  maxAlertsPerRequest: number;
}

/** Defaults far above a Prometheus batch (at most 256 alerts, typically well under 1 MB). */
export const DEFAULT_REQUEST_LIMITS: Readonly<RequestLimits> = {
  maxRequestBytes: 8 * 1024 * 1024,
  maxDecompressedBytes: 16 * 1024 * 1024,
  maxAlertsPerRequest: 10_000,
};

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
  /** request size limits (default DEFAULT_REQUEST_LIMITS) */
  requestLimits?: RequestLimits;
  /**
   * Shared storage (PostgreSQL): the write the handler's last synchronous store call started, awaited before
   * answering (an acknowledged write is durable); rejects with StorageUnavailableError (503). Absent with SQLite,
   * whose writes are durable when the call returns.
   */
  durable?(): Promise<void> | undefined;
  /** Tocsin extension: the `tocsin` object appended to GET /api/v2/status (src/api/tocsin-status.ts) */
  tocsinStatus?(): TocsinStatus;
}
