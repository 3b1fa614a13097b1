/**
 * The notification log's data and the interface the pipeline uses (declared here, below src/pipeline,
 * which re-exports them).
 */

/** Which integration a pipeline branch serves (upstream nflogpb.Receiver). */
export interface IntegrationRef {
  /** receiver name */
  groupName: string;
  /** integration type name (config IntegrationType) */
  integration: string;
  idx: number;
}

/** An nflog entry (upstream nflogpb.Entry + MeshEntry.expires_at). Alert ids are fingerprints. */
export interface NflogEntry {
  groupKey: string;
  receiver: IntegrationRef;
  /** epoch ms when the notification was logged */
  timestamp: number;
  firingAlerts: readonly string[];
  resolvedAlerts: readonly string[];
  receiverData?: Readonly<Record<string, string | number>>;
  expiresAt: number;
}

/** The notification log as the pipeline uses it (src/nflog implements it). */
export interface NotificationLog {
  query(groupKey: string, receiver: IntegrationRef): NflogEntry | undefined;
  /**
   * Durable once it returns, or, when it returns a promise, once that promise resolves (a write-behind
   * log commits the entries of many flushes in one transaction); the caller awaits it.
   */
  log(
    receiver: IntegrationRef,
    groupKey: string,
    firing: readonly string[],
    resolved: readonly string[],
    repeatInterval: number,
    receiverData?: Readonly<Record<string, string | number>>,
  ): void | Promise<void>;
}
