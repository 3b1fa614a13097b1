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

/** The arguments of NotificationLog.log: who was notified of which group, with which alerts. */
export type NflogLogArgs = [
  receiver: IntegrationRef,
  groupKey: string,
  firing: readonly string[],
  resolved: readonly string[],
  repeatInterval: number,
  receiverData?: Readonly<Record<string, string | number>>,
];

/** The notification log as the pipeline uses it (src/nflog implements it). */
export interface NotificationLog {
  query(groupKey: string, receiver: IntegrationRef): NflogEntry | undefined;
  /**
   * Durable once it returns, or, when it returns a promise, once that promise resolves (a write-behind
   * log commits the entries of many flushes in one transaction); the caller awaits it.
   */
  log(...args: NflogLogArgs): void | Promise<void>;
  /**
   * Replicas sharing one store (HA, docs/ha-design.md): called when the dedup stage decided, from the entry
   * it queried, that a notification is needed. Resolves to the decision to act on (made again from a fresher
   * entry if the stored one changed), or undefined: this replica must not send (it does not own the group,
   * or another replica is sending or sent it). Absent on a single instance.
   */
  claim?(
    groupKey: string,
    receiver: IntegrationRef,
    decide: (entry: NflogEntry | undefined) => string | undefined,
  ): Promise<{ entry: NflogEntry | undefined; reason: string } | undefined>;
  /**
   * resolved_after_mute: notes, durably before it returns (or, when it returns a promise, once that promise
   * resolves; the caller awaits it before sending), that a notification about to be sent tells the integration
   * that these alerts fire. A kill between its send and log() leaves the entry without them; the intent keeps
   * them as "maybe told" (see intended()).
   */
  intend?(groupKey: string, receiver: IntegrationRef, firing: readonly string[], repeatInterval: number): void | Promise<void>;
  /** The alerts an integration may have been told fire by a notification whose entry was never logged. */
  intended?(groupKey: string, receiver: IntegrationRef): readonly string[] | undefined;
}

/**
 * An intent (NotificationLog.intend): the alerts a sent notification had firing, kept until an entry logged for
 * the same key lists them (firing or resolved), or until it expires.
 */
export interface NflogIntent {
  groupKey: string;
  receiver: IntegrationRef;
  firing: readonly string[];
  expiresAt: number;
}
