/**
 * @module pipeline/outbox-storage
 * The persistent outbox's entries and the storage interface a backend implements (SQLite: src/store/outbox.ts).
 * Storage-agnostic and asynchronous like src/store/storage.ts: every write is durable once its promise resolves.
 * An entry holds what is needed to send the notification again: the alerts and the notification's context as the
 * flush saw them, and the request bodies rendered by its first attempt (sent again byte for byte). Never a URL or
 * a credential: those are resolved from the current config's integration (receiver + integration + index).
 */
import type { Alert, LabelSet } from '../types/alert';
import type { StoredRequest } from './payload-capture';

/** pending: waiting for its next attempt; dead: deadline passed or refused for good (a dead letter); replaying: a replay is in flight */
export type OutboxState = 'pending' | 'dead' | 'replaying';

/** The notification as its flush built it (the parts of NotifyContext a notifier reads), and its alerts. */
export interface OutboxNotification {
  receiver: string;
  integration: string;
  index: number;
  groupKey: string;
  groupLabels: LabelSet;
  routeId: string;
  routeLabels: LabelSet;
  /** the flush time */
  now: number;
  repeatInterval: number;
  muteTimeIntervals: readonly string[];
  activeTimeIntervals: readonly string[];
  firing: readonly string[];
  resolved: readonly string[];
  notificationReason?: string;
  /** the integration's nflog receiver data at the flush (Slack's thread) */
  receiverData?: Readonly<Record<string, string | number>>;
  alerts: readonly Alert[];
}

export interface OutboxEntry {
  /** never reused */
  id: number;
  state: OutboxState;
  notification: OutboxNotification;
  /** the requests (bodies, or the email message) of the first attempt, in order; [] until one was made */
  payload: readonly StoredRequest[];
  /** epoch ms: when it entered the outbox */
  createdAt: number;
  /** epoch ms: no attempt starts after it; then the entry is dead-lettered */
  deadlineAt: number;
  /** epoch ms: not attempted before */
  nextAttemptAt: number;
  /** attempts so far (the flush's counts as one) */
  attempts: number;
  /** the last failure, free of URLs and secrets */
  lastError?: string;
  updatedAt: number;
}

export type OutboxPatch = Partial<Pick<OutboxEntry, 'state' | 'payload' | 'nextAttemptAt' | 'attempts' | 'lastError' | 'updatedAt'>>;

export interface OutboxQuery {
  /** pending also lists entries being replayed; omitted = every state */
  state?: 'pending' | 'dead';
  receiver?: string;
  limit: number;
  /** ids below this one (the previous page's `next`) */
  before?: number;
}

export interface OutboxStorage {
  add(entry: Omit<OutboxEntry, 'id'>): Promise<OutboxEntry>;
  get(id: number): Promise<OutboxEntry | undefined>;
  /** the entries not dead, oldest first (to rebuild the queues at start) */
  loadLive(): Promise<OutboxEntry[]>;
  /** applies the patch if the entry exists and (when `from` is given) is in that state; false otherwise */
  update(id: number, patch: OutboxPatch, from?: OutboxState): Promise<boolean>;
  /** deletes a delivered or discarded entry; false when it does not exist */
  remove(id: number): Promise<boolean>;
  /** newest first; `next` = the `before` of the next page */
  list(q: OutboxQuery): Promise<{ entries: OutboxEntry[]; next?: number }>;
  /** dead letters per receiver and integration (for the gauge at start) */
  countDead(): Promise<{ receiver: string; integration: string; count: number }[]>;
}
