/**
 * @module ack/types
 * Acknowledgements and escalations (issue 16): the records and the storage interfaces both backends implement
 * (SQLite: src/store/acks.ts; PostgreSQL: src/store/postgres/acks.ts). Times are epoch ms.
 */

/** One alert of an acknowledged group as it was at ack time. */
export interface AckedAlert {
  fingerprint: string;
  resolved: boolean;
  /** hash of the alert's annotations: a changed annotation is a changed alert */
  annotations: string;
}

/** Why an ack stopped applying. */
export type AckEndReason = 'deleted' | 'expired' | 'alerts changed' | 'superseded';

/** An acknowledgement of one group (groupKey) on one receiver, with its audit. */
export interface Ack {
  id: string;
  groupKey: string;
  receiver: string;
  createdBy: string;
  comment: string;
  createdAt: number;
  /** after this the ack no longer applies; undefined = until the group changes or it is deleted */
  endsAt?: number;
  /** the group's alerts at ack time; a flush whose alerts differ ends the ack */
  alerts: readonly AckedAlert[];
  /** set when the ack stopped applying */
  endedAt?: number;
  endReason?: AckEndReason;
  /** who deleted it (the basic-auth user, or `deletedBy` given to the API) */
  endedBy?: string;
}

/** Durable acks: every ack is kept (its end too) until `deleteEndedBefore` trims the audit. */
export interface AckStorage {
  loadAll(): Promise<Ack[]>;
  /** inserts or replaces one ack; durable once the promise resolves */
  put(ack: Ack): Promise<void>;
  /** deletes acks that ended before `time`; resolves to how many */
  deleteEndedBefore(time: number): Promise<number>;
}

/** A group's escalation on one receiver: started at its first firing notification. */
export interface EscalationState {
  groupKey: string;
  receiver: string;
  startedAt: number;
  /** how many steps were reached (0 = none yet) */
  steps: number;
  /** set when the escalation stopped (acknowledged): no further step */
  stoppedAt?: number;
  stopReason?: 'acknowledged';
}

export interface EscalationStorage {
  loadAll(): Promise<EscalationState[]>;
  /** the stored state of one group on one receiver (replicas sharing storage: another may have started it) */
  get(groupKey: string, receiver: string): Promise<EscalationState | undefined>;
  put(state: EscalationState): Promise<void>;
  delete(groupKey: string, receiver: string): Promise<void>;
}

/** The key of a group on a receiver in the maps of acks and escalations. */
export function groupReceiverKey(groupKey: string, receiver: string): string {
  return `${receiver}\u0000${groupKey}`;
}
