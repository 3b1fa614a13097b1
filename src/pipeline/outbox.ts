/**
 * @module pipeline/outbox
 * The persistent outbox (issue 15, opt-in per receiver in tocsin.yml): a notification whose flush could not
 * deliver it is stored (src/pipeline/outbox-storage.ts) and retried with exponential backoff (min_backoff,
 * doubling, at most max_backoff) across flushes and restarts until it is delivered or its deadline passes; then
 * it is a dead letter, listed and replayed from the API, tocsinctl and the UI.
 *
 * Order: one queue per receiver + integration + index, in the order the notifications were built (flush time).
 * Only its first entry is attempted; the next one waits until it is delivered or dead-lettered, so a receiver that comes back gets what it missed in order, once.
 * A new notification for a queue that holds entries queues behind them (OutboxStage), and an in-flush retry
 * stops retrying once entries wait (NotifyContext.stopRetrying), so nothing overtakes them.
 *
 * Nothing is sent twice because of the outbox: an entry's delivery is stored (the row deleted) before the queue's
 * next attempt starts, and a queue runs one attempt at a time. Killed during an attempt, the entry is attempted
 * again after the restart (the receiver may then get that one notification twice: the in-flight duplicate every
 * at-least-once sender has). A replay marks the entry `replaying` first; one interrupted by a kill is a dead
 * letter again after the restart, with an error saying it may have been delivered.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import { recordAttempt, scrubError } from '../history/notification-events';
import type { HistorySink } from '../history/sink';
import type { Alert } from '../types/alert';
import type { Clock, TimerHandle } from '../types/clock';
import { NotifyError } from '../types/errors';
import type { Logger } from '../types/logger';
import { getOrCreateMetric } from '../types/metrics';
import type { OutboxSettings } from '../types/tocsin-config';
import { subset } from './dedup-stage';
import type { OutboxEntry, OutboxNotification, OutboxStorage } from './outbox-storage';
import type { PayloadCapture, StoredRequest } from './payload-capture';
import type { Integration, NotificationReason, NotifyContext } from './types';

/** How long one outbox attempt may take (the notifier's own timeouts apply within it). */
export const DEFAULT_OUTBOX_ATTEMPT_TIMEOUT = 60_000;

export interface OutboxOptions {
  storage: OutboxStorage;
  clock: Clock;
  logger: Logger;
  registry?: Registry;
  history?: HistorySink;
  attemptTimeout?: number;
}

/** Delay before the outbox's attempt number `n` (1-based): min_backoff doubled per attempt, at most max_backoff. */
export function outboxBackoff(s: Pick<OutboxSettings, 'min_backoff' | 'max_backoff'>, n: number): number {
  return Math.min(s.max_backoff, s.min_backoff * 2 ** Math.min(Math.max(0, n - 1), 40));
}

/** The queue of one receiver's integration. */
interface Queue {
  readonly key: string;
  readonly receiver: string;
  readonly integration: string;
  readonly index: number;
  /** live entries, oldest first; the head is the only one attempted */
  readonly entries: OutboxEntry[];
  running: boolean;
  /** kicked while running: run again when done (no wake-up is lost) */
  again: boolean;
  /** the head is being attempted: a new entry never goes before it */
  attempting: boolean;
  timer?: TimerHandle;
}

/** The result of an attempt through the integration. */
type Outcome = { ok: true } | { ok: false; retryable: boolean; error: string; payload: readonly StoredRequest[] };

export function queueKey(receiver: string, integration: string, index: number): string {
  return `${receiver}\u0000${integration}\u0000${index}`;
}

function errText(e: unknown): string {
  return scrubError(e instanceof Error ? e.message : String(e));
}

export class ReplayError extends Error {
  constructor(
    readonly status: 404 | 409,
    message: string,
  ) {
    super(message);
    this.name = 'ReplayError';
  }
}

export class Outbox {
  readonly #o: OutboxOptions;
  readonly #queues = new Map<string, Queue>();
  /** the current config's integrations and outbox settings (set at every (re)load) */
  #integrations = new Map<string, Integration>();
  #settings: (receiver: string) => OutboxSettings | undefined = () => undefined;
  #stopped = false;
  #started = false;
  readonly #abort = new AbortController();
  readonly #metrics: ReturnType<typeof outboxMetrics>;

  constructor(o: OutboxOptions) {
    this.#o = o;
    this.#metrics = outboxMetrics(o.registry);
  }

  /** Rebuilds the queues from storage (before any flush); replays a kill interrupted become dead letters again. */
  async load(): Promise<void> {
    for (const e of await this.#o.storage.loadLive()) {
      if (e.state === 'replaying') {
        const lastError = 'replay interrupted by a restart: it may have been delivered';
        await this.#o.storage.update(e.id, { state: 'dead', lastError, updatedAt: this.#o.clock.now() });
        this.#addDead(e.notification, 1);
        continue;
      }
      const q = this.#queue(e.notification);
      insertInOrder(q.entries, e, 0);
    }
    for (const d of await this.#o.storage.countDead()) this.#metrics.dead.set({ receiver: d.receiver, integration: d.integration }, d.count);
    for (const q of this.#queues.values()) this.#metrics.pending.set({ receiver: q.receiver, integration: q.integration }, this.#pendingOf(q.receiver, q.integration));
  }

  /** The current config's integrations and settings; queues start (again) with them. */
  configure(receivers: ReadonlyMap<string, readonly Integration[]>, settings: (receiver: string) => OutboxSettings | undefined): void {
    const m = new Map<string, Integration>();
    for (const [receiver, list] of receivers) for (const i of list) m.set(queueKey(receiver, i.name, i.index), i);
    this.#integrations = m;
    this.#settings = settings;
    if (this.#started) for (const q of this.#queues.values()) this.#kick(q);
  }

  start(): void {
    this.#started = true;
    for (const q of this.#queues.values()) this.#kick(q);
  }

  /** Stops the queues: an attempt in flight is aborted (its entry stays pending and is attempted after the restart). */
  stop(): void {
    this.#stopped = true;
    this.#abort.abort(new Error('outbox stopped'));
    for (const q of this.#queues.values()) q.timer?.cancel();
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /** How many entries wait in this integration's queue (0 = a new notification may be sent at once). */
  waiting(receiver: string, integration: string, index: number): number {
    return this.#queues.get(queueKey(receiver, integration, index))?.entries.length ?? 0;
  }

  /**
   * This integration's queue already holds a notification of the flush's group with the same firing and resolved
   * alerts. A process killed after the outbox stored a notification and before the notification log recorded it
   * restarts without the log's entry: its flush would build the same notification again and page twice.
   */
  holds(ctx: NotifyContext, integration: Integration): boolean {
    const q = this.#queues.get(queueKey(ctx.receiver, integration.name, integration.index));
    if (!q) return false;
    const firing = new Set(ctx.firing);
    const resolved = new Set(ctx.resolved);
    // each list holds an id once: the same length and a subset is the same set
    const same = (ids: readonly string[], set: ReadonlySet<string>) => ids.length === set.size && subset(ids, set);
    return q.entries.some((e) => e.notification.groupKey === ctx.groupKey && same(e.notification.firing, firing) && same(e.notification.resolved, resolved));
  }

  /**
   * With the outbox on for the receiver (else undefined): how many of this integration's waiting notifications
   * include the alert (explain).
   */
  pendingWith(receiver: string, integration: string, index: number, fingerprint: string): number | undefined {
    if (!this.#settings(receiver)) return undefined;
    const q = this.#queues.get(queueKey(receiver, integration, index));
    let n = 0;
    for (const e of q?.entries ?? []) if (e.notification.alerts.some((a) => a.fingerprint === fingerprint)) n++;
    return n;
  }

  /**
   * Stores a notification its flush did not deliver (`error` set) or that queues behind earlier ones, durably,
   * and schedules its queue. `payload`: the bodies its flush sent ([] when it was not attempted).
   */
  async enqueue(ctx: NotifyContext, alerts: readonly Alert[], integration: Integration, settings: OutboxSettings, o: { attempts: number; payload: readonly StoredRequest[]; error?: string }): Promise<OutboxEntry> {
    const now = this.#o.clock.now();
    const notification = snapshot(ctx, alerts, integration);
    const backoff = o.attempts > 0 ? outboxBackoff(settings, 1) : 0;
    // shown by the API and the UI: no URL, no secret value
    const error = o.error !== undefined ? scrubError(o.error) : undefined;
    const entry = await this.#o.storage.add({
      state: 'pending',
      notification,
      payload: o.payload,
      createdAt: now,
      deadlineAt: ctx.now + settings.deadline,
      nextAttemptAt: now + backoff,
      attempts: o.attempts,
      ...(error !== undefined ? { lastError: error } : {}),
      updatedAt: now,
    });
    const q = this.#queue(notification);
    insertInOrder(q.entries, entry, q.attempting ? 1 : 0);
    this.#gauge(q);
    this.#o.history?.record({
      time: now,
      kind: 'outbox_enqueued',
      receiver: notification.receiver,
      groupKey: notification.groupKey,
      data: { id: entry.id, integration: notification.integration, index: notification.index, attempts: o.attempts, deadline: entry.deadlineAt, ...(error !== undefined ? { error } : { queuedBehind: q.entries.length - 1 }) },
    });
    this.#o.logger.warn({ receiver: notification.receiver, integration: `${notification.integration}[${notification.index}]`, aggrGroup: notification.groupKey, outboxId: entry.id, err: error }, 'Notification stored in the outbox, will retry');
    this.#kick(q);
    return entry;
  }

  /** Stores a notification refused for good (a non-retryable failure) as a dead letter at once. */
  async deadLetter(ctx: NotifyContext, alerts: readonly Alert[], integration: Integration, o: { attempts: number; payload: readonly StoredRequest[]; error: string }): Promise<OutboxEntry> {
    const now = this.#o.clock.now();
    const notification = snapshot(ctx, alerts, integration);
    const entry = await this.#o.storage.add({ state: 'dead', notification, payload: o.payload, createdAt: now, deadlineAt: now, nextAttemptAt: now, attempts: o.attempts, lastError: scrubError(o.error), updatedAt: now });
    this.#addDead(notification, 1);
    this.#recordDead(entry, now, 'refused');
    return entry;
  }

  /**
   * Sends a dead letter again, once, now, with a new attempt number (out of its queue's order: an operator's
   * action). Resolves with the entry (state `dead` again, with the new error, when it failed) and whether it was
   * delivered; rejects with ReplayError 404 (no such entry) or 409 (not a dead letter, or no such integration now).
   */
  async replay(id: number): Promise<{ delivered: boolean; entry: OutboxEntry }> {
    const s = this.#o.storage;
    const entry = await s.get(id);
    if (!entry) throw new ReplayError(404, `notification ${id} not found`);
    if (entry.state !== 'dead') throw new ReplayError(409, `notification ${id} is ${entry.state === 'pending' ? 'pending (the outbox is still retrying it)' : 'being replayed'}; only a dead letter can be replayed`);
    const n = entry.notification;
    const integration = this.#integrations.get(queueKey(n.receiver, n.integration, n.index));
    if (!integration) throw new ReplayError(409, `receiver "${n.receiver}" has no ${n.integration}[${n.index}] integration in the current config`);
    const now = this.#o.clock.now();
    if (!(await s.update(id, { state: 'replaying', updatedAt: now }, 'dead'))) throw new ReplayError(409, `notification ${id} is being replayed`);
    this.#addDead(n, -1);
    const attempt = entry.attempts + 1;
    const out = await this.#attempt(entry, integration, attempt);
    const done = this.#o.clock.now();
    this.#o.history?.record({
      time: done,
      kind: 'outbox_replayed',
      receiver: n.receiver,
      groupKey: n.groupKey,
      data: { id, integration: n.integration, index: n.index, attempt, outcome: out.ok ? 'delivered' : 'failed', ...(out.ok ? {} : { error: out.error }) },
    });
    if (out.ok) {
      await s.remove(id);
      this.#metrics.delivered.inc({ receiver: n.receiver, integration: n.integration });
      return { delivered: true, entry: { ...entry, attempts: attempt, updatedAt: done } };
    }
    const patch = { state: 'dead' as const, attempts: attempt, lastError: out.error, updatedAt: done, ...(entry.payload.length === 0 ? { payload: out.payload } : {}) };
    await s.update(id, patch);
    this.#addDead(n, 1);
    return { delivered: false, entry: { ...entry, ...patch } };
  }

  /** Deletes a dead letter without sending it; false when there is no such dead letter. */
  async discard(id: number): Promise<boolean> {
    const entry = await this.#o.storage.get(id);
    if (entry?.state !== 'dead') return false;
    if (!(await this.#o.storage.remove(id))) return false;
    this.#addDead(entry.notification, -1);
    this.#o.history?.record({ time: this.#o.clock.now(), kind: 'outbox_discarded', receiver: entry.notification.receiver, groupKey: entry.notification.groupKey, data: { id, integration: entry.notification.integration, index: entry.notification.index } });
    return true;
  }

  #queue(n: Pick<OutboxNotification, 'receiver' | 'integration' | 'index'>): Queue {
    const key = queueKey(n.receiver, n.integration, n.index);
    let q = this.#queues.get(key);
    if (!q) {
      q = { key, receiver: n.receiver, integration: n.integration, index: n.index, entries: [], running: false, again: false, attempting: false };
      this.#queues.set(key, q);
    }
    return q;
  }

  #pendingOf(receiver: string, integration: string): number {
    let n = 0;
    for (const q of this.#queues.values()) if (q.receiver === receiver && q.integration === integration) n += q.entries.length;
    return n;
  }

  #gauge(q: Queue): void {
    this.#metrics.pending.set({ receiver: q.receiver, integration: q.integration }, this.#pendingOf(q.receiver, q.integration));
  }

  #addDead(n: Pick<OutboxNotification, 'receiver' | 'integration'>, d: number): void {
    this.#metrics.dead.inc({ receiver: n.receiver, integration: n.integration }, d);
  }

  #recordDead(entry: OutboxEntry, time: number, why: 'refused' | 'deadline' | 'not configured'): void {
    const n = entry.notification;
    this.#o.history?.record({
      time,
      kind: 'outbox_dead_lettered',
      receiver: n.receiver,
      groupKey: n.groupKey,
      data: { id: entry.id, integration: n.integration, index: n.index, attempts: entry.attempts, why, ...(entry.lastError !== undefined ? { error: entry.lastError } : {}) },
    });
    this.#o.logger.error({ receiver: n.receiver, integration: `${n.integration}[${n.index}]`, aggrGroup: n.groupKey, outboxId: entry.id, attempts: entry.attempts, why, err: entry.lastError }, 'Notification dead-lettered');
  }

  /** Runs the queue now unless it runs already (its head's time decides whether an attempt starts). */
  #kick(q: Queue): void {
    if (this.#stopped || !this.#started) return;
    if (q.running) {
      q.again = true;
      return;
    }
    q.timer?.cancel();
    q.timer = undefined;
    q.running = true;
    q.again = false;
    this.#drain(q)
      .catch((e: unknown) => this.#o.logger.error({ err: errText(e), receiver: q.receiver, integration: `${q.integration}[${q.index}]` }, 'Outbox queue failed; retrying in 10s'))
      .finally(() => {
        q.running = false;
        if (q.again) this.#kick(q);
        else if (q.entries.length > 0 && !q.timer && !this.#stopped) q.timer = this.#o.clock.setTimer(10_000, () => this.#kick(q));
      });
  }

  async #drain(q: Queue): Promise<void> {
    for (;;) {
      if (this.#stopped) return;
      const head = q.entries[0];
      if (!head) {
        this.#gauge(q);
        return;
      }
      const now = this.#o.clock.now();
      if (head.nextAttemptAt > now && head.deadlineAt > now) {
        q.timer = this.#o.clock.setTimer(Math.min(head.nextAttemptAt, head.deadlineAt) - now, () => {
          q.timer = undefined;
          this.#kick(q);
        });
        return;
      }
      q.attempting = true;
      try {
        if (!(await this.#process(q, head, now))) return;
      } finally {
        q.attempting = false;
      }
    }
  }

  /** Attempts the queue's head (or dead-letters it) and stores the outcome; false = stopped meanwhile. */
  async #process(q: Queue, head: OutboxEntry, now: number): Promise<boolean> {
    const s = this.#o.storage;
    const drop = () => {
      const i = q.entries.indexOf(head);
      if (i >= 0) q.entries.splice(i, 1);
    };
    const integration = this.#integrations.get(q.key);
    const settings = this.#settings(q.receiver);
    const attempt = head.attempts + 1;
    let out: Outcome;
    if (head.deadlineAt < now) out = { ok: false, retryable: false, error: head.lastError ?? 'deadline passed while queued behind earlier notifications', payload: head.payload };
    else if (!integration) out = { ok: false, retryable: true, error: `receiver "${q.receiver}" has no ${q.integration}[${q.index}] integration in the current config`, payload: head.payload };
    else {
      this.#metrics.retries.inc({ receiver: q.receiver, integration: q.integration });
      out = await this.#attempt(head, integration, attempt);
    }
    if (this.#stopped && !out.ok) return false;
    const done = this.#o.clock.now();
    if (out.ok) {
      // durable before the next attempt of this queue starts: no entry is sent twice
      await s.remove(head.id);
      drop();
      this.#gauge(q);
      this.#metrics.delivered.inc({ receiver: q.receiver, integration: q.integration });
      this.#o.history?.record({ time: done, kind: 'outbox_delivered', receiver: q.receiver, groupKey: head.notification.groupKey, data: { id: head.id, integration: q.integration, index: q.index, attempt } });
      return true;
    }
    const attempts = head.deadlineAt < now || !integration ? head.attempts : attempt;
    const payload = head.payload.length === 0 ? out.payload : head.payload;
    if (!out.retryable || done >= head.deadlineAt) {
      const dead: OutboxEntry = { ...head, state: 'dead', attempts, lastError: out.error, payload, updatedAt: done };
      await s.update(head.id, { state: 'dead', attempts, lastError: out.error, payload, updatedAt: done });
      drop();
      this.#gauge(q);
      this.#addDead(head.notification, 1);
      this.#recordDead(dead, done, !out.retryable && head.deadlineAt >= now ? 'refused' : integration ? 'deadline' : 'not configured');
      return true;
    }
    const backoff = outboxBackoff(settings ?? { min_backoff: 10_000, max_backoff: 300_000 }, Math.max(1, attempts));
    const next = Math.min(done + backoff, head.deadlineAt);
    Object.assign(head, { attempts, lastError: out.error, payload, nextAttemptAt: next, updatedAt: done });
    await s.update(head.id, { attempts, lastError: out.error, payload, nextAttemptAt: next, updatedAt: done });
    return true;
  }

  /** One attempt through the integration, with the stored payload (if any) sent instead of a fresh rendering. */
  async #attempt(entry: OutboxEntry, integration: Integration, attempt: number): Promise<Outcome> {
    const n = entry.notification;
    const signal = AbortSignal.any([this.#abort.signal, AbortSignal.timeout(this.#o.attemptTimeout ?? DEFAULT_OUTBOX_ATTEMPT_TIMEOUT)]);
    const ctx = restore(n, signal, this.#o.logger, this.#o.history);
    const alerts = integration.sendResolved ? n.alerts : n.alerts.filter((a) => !(a.endsAt !== 0 && a.endsAt <= n.now));
    const capture: PayloadCapture = entry.payload.length > 0 ? { requests: [], replay: entry.payload } : { requests: [] };
    const started = this.#o.clock.now();
    const t0 = performance.now();
    const hist = this.#o.history;
    const record = (err?: unknown) => {
      if (hist) recordAttempt(hist, ctx, integration, attempt, started, performance.now() - t0, err, undefined, alerts, { outboxId: entry.id });
    };
    try {
      await integration.notifier.notify({ ...ctx, payloads: capture }, alerts);
      record();
      // the history event of the delivery is durable before the outbox forgets the entry
      await hist?.committed().catch(() => undefined);
      return { ok: true };
    } catch (e) {
      record(e);
      const retryable = e instanceof NotifyError ? e.retryable || e.reason === 'contextCanceled' || e.reason === 'contextDeadlineExceeded' : true;
      return { ok: false, retryable, error: errText(e), payload: capture.requests };
    }
  }
}

/**
 * Queues are in the order the notifications were built (their flush time, then id): flushes that fail
 * concurrently reach the outbox in any order. Never before `from` (1 while the head's attempt runs).
 */
function insertInOrder(entries: OutboxEntry[], e: OutboxEntry, from: number): void {
  const before = (a: OutboxEntry) => e.notification.now < a.notification.now || (e.notification.now === a.notification.now && e.id < a.id);
  let i = entries.length;
  while (i > from && before(entries[i - 1]!)) i--;
  entries.splice(i, 0, e);
}

/** The parts of the flush's context an entry keeps. */
function snapshot(ctx: NotifyContext, alerts: readonly Alert[], integration: Integration): OutboxNotification {
  return {
    receiver: ctx.receiver,
    integration: integration.name,
    index: integration.index,
    groupKey: ctx.groupKey,
    groupLabels: ctx.groupLabels,
    routeId: ctx.routeId,
    routeLabels: ctx.routeLabels,
    now: ctx.now,
    repeatInterval: ctx.repeatInterval,
    muteTimeIntervals: ctx.muteTimeIntervals,
    activeTimeIntervals: ctx.activeTimeIntervals,
    firing: ctx.firing ?? [],
    resolved: ctx.resolved ?? [],
    ...(ctx.notificationReason !== undefined ? { notificationReason: ctx.notificationReason } : {}),
    ...(ctx.nflogStore && ctx.nflogStore.size > 0 ? { receiverData: Object.fromEntries(ctx.nflogStore) } : {}),
    alerts,
  };
}

/** A NotifyContext for an outbox attempt, as the flush had it. */
function restore(n: OutboxNotification, signal: AbortSignal, logger: Logger, history?: HistorySink): NotifyContext {
  return Object.freeze({
    receiver: n.receiver,
    groupKey: n.groupKey,
    groupLabels: n.groupLabels,
    routeId: n.routeId,
    routeLabels: n.routeLabels,
    now: n.now,
    repeatInterval: n.repeatInterval,
    muteTimeIntervals: n.muteTimeIntervals,
    activeTimeIntervals: n.activeTimeIntervals,
    signal,
    logger,
    firing: n.firing,
    resolved: n.resolved,
    notificationReason: (n.notificationReason ?? 'unknown') as NotificationReason,
    integration: { groupName: n.receiver, integration: n.integration, idx: n.index },
    nflogStore: new Map(Object.entries(n.receiverData ?? {})),
    ...(history ? { history } : {}),
  });
}

function outboxMetrics(registry: Registry | undefined) {
  const registers = registry ? [registry] : [];
  const labelNames = ['receiver', 'integration'];
  const make = <T>(name: string, f: () => T): T => (registry ? getOrCreateMetric(registry, name, f) : f());
  return {
    pending: make('tocsin_outbox_pending', () => new Gauge({ name: 'tocsin_outbox_pending', help: 'Notifications waiting in the persistent outbox for their next attempt.', labelNames, registers })),
    dead: make('tocsin_outbox_dead_letters', () => new Gauge({ name: 'tocsin_outbox_dead_letters', help: 'Dead letters in the persistent outbox (deadline passed or refused), until replayed or discarded.', labelNames, registers })),
    retries: make('tocsin_outbox_retries_total', () => new Counter({ name: 'tocsin_outbox_retries_total', help: 'Attempts the persistent outbox made to send stored notifications.', labelNames, registers })),
    delivered: make('tocsin_outbox_delivered_total', () => new Counter({ name: 'tocsin_outbox_delivered_total', help: 'Stored notifications the persistent outbox delivered (retries and replays).', labelNames, registers })),
  };
}
