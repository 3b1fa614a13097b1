/**
 * The API v2 objects on the wire (upstream api/v2/openapi.yaml), in one place for the server, `tocsinctl` and
 * the web UI (which imports them type-only). Field names are the JSON names; timestamps are RFC 3339 strings.
 * The server writes these objects as JSON text by hand (Go's field order, src/api); clients read them with
 * these types. Fields newer than Alertmanager 0.25 are optional, as older servers leave them out.
 */

import type { AckWire, EscalationWire } from './ack';

export type WireLabelSet = Record<string, string>;

export interface ApiMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  /** absent from servers before 0.22: means true */
  isEqual?: boolean;
}

export interface GettableAlertStatus {
  state: 'unprocessed' | 'active' | 'suppressed';
  silencedBy: string[];
  inhibitedBy: string[];
  /** master (0.28+) */
  mutedBy?: string[];
}

export interface ApiReceiver {
  name: string;
}

export interface GettableAlert {
  labels: WireLabelSet;
  annotations: WireLabelSet;
  generatorURL?: string;
  startsAt: string;
  endsAt: string;
  updatedAt: string;
  fingerprint: string;
  receivers: ApiReceiver[];
  status: GettableAlertStatus;
}

export interface PostableAlert {
  labels: WireLabelSet;
  annotations?: WireLabelSet;
  generatorURL?: string;
  startsAt?: string;
  endsAt?: string;
}

export interface AlertGroup {
  labels: WireLabelSet;
  receiver: ApiReceiver;
  alerts: GettableAlert[];
  /** master (0.34) */
  routeLabels?: WireLabelSet;
  /** Tocsin: the ack applying to the group (absent when not acknowledged) */
  tocsinAck?: AckWire;
  /** Tocsin: the group's escalation on its receiver (absent when not escalating) */
  tocsinEscalation?: EscalationWire;
}

export interface Silence {
  matchers: ApiMatcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  /** master (0.32+) */
  annotations?: WireLabelSet;
}

export interface PostableSilence extends Silence {
  id?: string;
}

export interface GettableSilence extends Silence {
  id: string;
  status: { state: 'active' | 'pending' | 'expired' };
  updatedAt: string;
}

export interface PeerStatus {
  name: string;
  address: string;
}

export interface ClusterStatus {
  name?: string;
  status: 'ready' | 'settling' | 'disabled';
  peers?: PeerStatus[];
}

export interface VersionInfo {
  branch: string;
  buildDate: string;
  buildUser: string;
  goVersion: string;
  revision: string;
  version: string;
}

export interface AlertmanagerStatus {
  cluster: ClusterStatus;
  config: { original: string };
  uptime: string;
  versionInfo: VersionInfo;
}
