/**
 * The silence store (upstream silence/silence.go Silences): create/update/expire with upstream's semantics and
 * error texts, queries by id/state/labels, GC after retention, SQLite durability, and metrics.
 */
import type { HistorySink } from '../history/sink';
import { recordSilence, type SilenceFacts } from '../history/silence-events';
import { randomUUID } from 'node:crypto';
import { Counter, Gauge, Histogram, type Registry, Registry as PromRegistry, Summary } from 'prom-client';
import { matchesLabels } from '../matchers/matcher';
import { DEFAULT_PARSE_MODE, type MatcherParseMode } from '../matchers/parse';
import type { Matcher } from '../matchers/types';
import type { LabelSet } from '../types/alert';
import type { Clock, TimerHandle } from '../types/clock';
import { formatDuration } from '../types/duration';
import { NotFoundError, ValidationError } from '../types/errors';
import type { Logger } from '../types/logger';
import { auditEntry, type SilenceAuditEntry } from './audit';
import { GroupCommit } from './group-commit';
import { lazyMatcherSets } from './lazy-matcher';
import { renderedMatcherSets } from './rendered-matchers';
import { SilenceMatchIndex } from './match-index';
import { type SilencePersistence, type StoredSilence, toStoredSilence } from './store';
import { type Silence, type SilenceInput, type SilenceState, silenceState } from './types';
import { meshSilenceSize, validateSilence } from './validate';

export interface SilencesOptions {
  /** persistence (the application passes src/store's SQLite SilenceStore) */
  store: SilencePersistence;
  clock: Clock;
  logger: Logger;
  registry?: Registry | undefined;
  /** --data.retention: a silence is removed this long after it ended (ms) */
  retention: number;
  /** --silences.max-silences (0/undefined = no limit); counts expired ones too */
  maxSilences?: number | undefined;
  /** --silences.max-silence-size-bytes (0/undefined = no limit) */
  maxSilenceSizeBytes?: number | undefined;
  /** label-name rules for matchers (from --enable-feature); default fallback (UTF-8 names) */
  matcherMode?: MatcherParseMode | undefined;
  /** --log.silences */
  logSilences?: boolean | undefined;
  /** the history recorder (src/history): silence created/updated/expired */
  history?: HistorySink | undefined;
  /**
   * the label sets of the alerts firing now (every replica holds every alert): expire_unmatched_after counts a
   * silence matching one as matched, also where another replica flushes its group
   */
  firing?: (() => Iterable<LabelSet>) | undefined;
}

const SILENCE_KINDS = { 'create silence': 'silence_created', 'update silence': 'silence_updated', 'expire silence': 'silence_expired' } as const;

function silenceFacts(s: Silence): SilenceFacts {
  return { id: s.id, createdBy: s.createdBy, comment: s.comment, startsAt: s.startsAt, endsAt: s.endsAt, matchers: renderedMatcherSets(s.matcherSets) };
}

export interface SilenceQuery {
  /** only these ids */
  ids?: readonly string[] | undefined;
  /** only silences in one of these states (internal rule) at query time */
  states?: readonly SilenceState[] | undefined;
  /** only silences with a matcher set matching this label set */
  matches?: LabelSet | undefined;
}

interface Record_ {
  silence: Silence;
  expiresAt: number;
}

/** What one create/update/expire writes: the silences and their audit entries (one transaction). */
interface Writes {
  writes: Silence[];
  audit: SilenceAuditEntry[];
}

interface SilenceMetrics {
  gcDuration: Summary;
  gcErrors: Counter;
  snapshotDuration: Summary;
  snapshotSize: Gauge;
  maintenance: Counter;
  maintenanceErrors: Counter;
  queries: Counter;
  queryErrors: Counter;
  queryDuration: Histogram;
  scanned: Counter;
  skipped: Counter;
  compileErrors: Counter<'stage'>;
}

export class SilenceLimitError extends ValidationError {}

function freezeSilence(s: Silence): Silence {
  for (const set of s.matcherSets) Object.freeze(set);
  Object.freeze(s.matcherSets);
  Object.freeze(s.annotations);
  return Object.freeze(s);
}

function sameMatcherSets(a: Silence['matcherSets'], b: SilenceInput['matcherSets']): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.length !== y.length) return false;
    for (let j = 0; j < x.length; j++) {
      const p = x[j]!;
      const q = y[j]!;
      if (p.type !== q.type || p.name !== q.name || p.value !== q.value) return false;
    }
  }
  return true;
}

/** upstream canUpdate: may `prev` be overwritten in place by `next` without rewriting history? */
function canUpdate(prev: Silence, next: SilenceInput & { startsAt: number }, now: number): boolean {
  if (!sameMatcherSets(prev.matcherSets, next.matcherSets)) return false;
  switch (silenceState(prev, now)) {
    case 'active':
      // start may not move (compared at second precision) and the end may not be in the past
      if (Math.floor(prev.startsAt / 1000) !== Math.floor(next.startsAt / 1000)) return false;
      if (next.endsAt < now) return false;
      return true;
    case 'pending':
      return next.startsAt >= now;
    case 'expired':
      return false;
  }
}

export class Silences {
  readonly #store: SilencePersistence;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #retention: number;
  readonly #maxSilences: number;
  readonly #maxSize: number;
  readonly #mode: MatcherParseMode;
  readonly #logSilences: boolean;
  readonly #history: HistorySink | undefined;
  readonly #records = new Map<string, Record_>();
  /** non-expired silences (as last observed), by matcher */
  readonly #index = new SilenceMatchIndex();
  readonly #metrics: SilenceMetrics;
  /** writes of setDurably() waiting for their group commit, by id: later writes plan against them */
  readonly #pending = new Map<string, Record_>();
  readonly #commits = new GroupCommit<Writes>((batches) => this.#commitGroup(batches));
  #version = 0;
  #maintenanceTimer: TimerHandle | undefined;
  /** when each silence last muted an alert (memory only: after a restart, counted from the start) */
  readonly #lastMatched = new Map<string, number>();
  readonly #startedAt: number;
  readonly #firing: (() => Iterable<LabelSet>) | undefined;
  /** tocsin.yml silences.expire_unmatched_after (ms; 0 = never) */
  #expireUnmatchedAfter = 0;

  constructor(opts: SilencesOptions) {
    this.#clock = opts.clock;
    this.#logger = opts.logger;
    this.#retention = opts.retention;
    this.#maxSilences = opts.maxSilences ?? 0;
    this.#maxSize = opts.maxSilenceSizeBytes ?? 0;
    this.#mode = opts.matcherMode ?? DEFAULT_PARSE_MODE;
    this.#logSilences = opts.logSilences ?? false;
    this.#history = opts.history;
    this.#metrics = this.#registerMetrics(opts.registry ?? new PromRegistry());
    this.#store = opts.store;
    this.#startedAt = this.#clock.now();
    this.#firing = opts.firing;
    this.#load();
  }

  // --- reading ----------------------------------------------------------------------------------------------------

  /** Increases whenever the set of silences or their matchers change; callers can cache per-alert results. */
  version(): number {
    return this.#version;
  }

  get(id: string): Silence | undefined {
    return this.#records.get(id)?.silence;
  }

  /** All silences satisfying every given filter (unordered). */
  query(q: SilenceQuery = {}): Silence[] {
    const end = this.#metrics.queryDuration.startTimer();
    this.#metrics.queries.inc();
    try {
      const now = this.#clock.now();
      const states = q.states;
      const stateOk = (s: Silence) => !states || states.includes(silenceState(s, now));
      const out: Silence[] = [];
      if (q.ids) {
        for (const id of q.ids) {
          const s = this.#records.get(id)?.silence;
          if (!s) continue;
          this.#metrics.scanned.inc();
          if (stateOk(s) && (!q.matches || silenceMatches(s, q.matches))) out.push(s);
        }
        return out;
      }
      if (q.matches && states && !states.includes('expired')) {
        const matched = this.#matchIndexed(q.matches, now, states);
        this.#metrics.scanned.inc(matched.scanned);
        this.#metrics.skipped.inc(Math.max(0, this.#records.size - matched.scanned));
        return matched.silences;
      }
      for (const { silence } of this.#records.values()) {
        this.#metrics.scanned.inc();
        if (stateOk(silence) && (!q.matches || silenceMatches(silence, q.matches))) out.push(silence);
      }
      return out;
    } catch (e) {
      this.#metrics.queryErrors.inc();
      throw e;
    } finally {
      end();
    }
  }

  /** IDs of the active silences matching the labels (indexed; the silencer's hot path). */
  activeMatching(labels: LabelSet): string[] {
    return this.query({ matches: labels, states: ['active'] }).map((s) => s.id);
  }

  countState(state: SilenceState): number {
    const now = this.#clock.now();
    let n = 0;
    for (const { silence } of this.#records.values()) if (silenceState(silence, now) === state) n++;
    return n;
  }

  // --- writing ----------------------------------------------------------------------------------------------------

  /**
   * Creates or updates a silence (upstream Silences.Set) and returns its id. An update keeps the id when upstream
   * allows editing in place; otherwise the old silence is expired (if it is not already) and a new one created.
   * Throws ValidationError (`invalid silence: ...`, limits) or NotFoundError (`silence not found`).
   */
  /** `user`: the authenticated user making the change (basic auth), for the history */
  set(input: SilenceInput, user?: string): string {
    this.#commits.flush(true); // queued writes first, in order
    const { id, ...w } = this.#plan(input, user);
    this.#write(w);
    return id;
  }

  /**
   * set() with group commit: the write joins the ones arriving in the same turns of the event loop and all are
   * committed in one transaction. Resolves with the id once the silence is durable; rejects like set() for
   * invalid input, and with the store's error when the commit failed (then nothing of it is kept).
   */
  async setDurably(input: SilenceInput, user?: string): Promise<string> {
    const { id, ...w } = this.#plan(input, user);
    await this.#queue(w);
    return id;
  }

  /**
   * Creates the silence with the given id unless a silence with that id is held (in any state) or queued: for
   * silences whose id derives from what they stand for (a schedule's occurrence, src/silence/scheduler.ts), so
   * a restart or a second replica never creates one twice, and one a person expired is not created again.
   * Resolves true once created durably, false when it already existed.
   */
  async createOnce(input: SilenceInput & { id: string }): Promise<boolean> {
    if (this.#pending.has(input.id) || this.#records.has(input.id)) return false;
    await this.#queue(this.#plan(input, undefined, input.id));
    return true;
  }

  #queue(w: Writes): Promise<void> {
    for (const s of w.writes) this.#pending.set(s.id, { silence: s, expiresAt: s.endsAt + this.#retention });
    return this.#commits.add(w);
  }

  /** The audit trail of a silence, oldest first (empty when the store keeps none). */
  async audit(id: string): Promise<SilenceAuditEntry[]> {
    this.#commits.flush(true);
    await this.#store.takeWrite?.(); // a shared store: the last write first
    await this.#store.settled?.(); // a store that commits off the event loop: likewise
    return (await this.#store.audit?.(id)) ?? [];
  }

  /**
   * Validates `input` against the current state (including queued writes); returns the writes it makes.
   * `createId`: create a new silence with this id (createOnce).
   */
  #plan(input: SilenceInput, user?: string, createId?: string): { id: string } & Writes {
    const now = this.#clock.now();
    const sil = { ...input, startsAt: input.startsAt || now };
    const checked = validateSilence(sil, this.#mode);
    if ('error' in checked) throw new ValidationError(`invalid silence: ${checked.error}`);
    const matcherSets = checked.matcherSets;

    const prev = sil.id && !createId ? (this.#pending.get(sil.id) ?? this.#records.get(sil.id))?.silence : undefined;
    if (sil.id && !createId && !prev) throw new NotFoundError('silence not found');

    if (prev && canUpdate(prev, sil, now)) {
      const updated = this.#build(prev.id, sil, matcherSets, sil.startsAt, now);
      this.#checkSize(updated);
      this.#log('update silence', updated, user);
      return { id: updated.id, writes: [updated], audit: [auditEntry('update', updated, prev, now, { user })] };
    }

    const count = this.#records.size + this.#pendingCreates();
    if (this.#maxSilences > 0 && count + 1 > this.#maxSilences) {
      throw new SilenceLimitError(`exceeded maximum number of silences: ${count} (limit: ${this.#maxSilences})`);
    }
    const created = this.#build(createId ?? randomUUID(), sil, matcherSets, Math.max(sil.startsAt, now), now);
    this.#checkSize(created);
    const writes: Silence[] = [];
    const audit: SilenceAuditEntry[] = [];
    if (prev && silenceState(prev, now) !== 'expired') {
      // Keep the history: the old silence ends now, the new one carries the change.
      const expired = this.#expired(prev, now);
      this.#log('expire silence', expired, user);
      writes.push(expired);
      audit.push(auditEntry('expire', expired, prev, now, { user, replacedBy: created.id }));
    }
    this.#log('create silence', created, user);
    writes.push(created);
    audit.push(auditEntry('create', created, prev, now, { user, ...(prev ? { replaces: prev.id } : {}) }));
    return { id: created.id, writes, audit };
  }

  /** queued silences not yet in #records (they count against --silences.max-silences) */
  #pendingCreates(): number {
    let n = 0;
    for (const id of this.#pending.keys()) if (!this.#records.has(id)) n++;
    return n;
  }

  /** One group commit: every queued write in one transaction, then memory; the queue forgets them either way. */
  #commitGroup(batches: readonly Writes[]): Promise<void> | undefined {
    const all: Silence[] = [];
    const audit: SilenceAuditEntry[] = [];
    for (const b of batches) {
      for (const s of b.writes) all.push(s);
      for (const a of b.audit) audit.push(a);
    }
    try {
      return this.#write({ writes: all, audit }) ?? this.#store.takeWrite?.();
    } finally {
      for (const s of all) if (this.#pending.get(s.id)?.silence === s) this.#pending.delete(s.id);
    }
  }

  /**
   * Expires a silence now (upstream Silences.Expire): active → endsAt = now; pending → startsAt = endsAt = now;
   * already expired → no change. Throws NotFoundError for an unknown (or garbage-collected) id. With a store
   * that commits off the event loop, returns the commit (see #write); else the change is durable on return.
   */
  expire(id: string, user?: string, reason?: string): Promise<void> | undefined {
    this.#commits.flush(true);
    const prev = this.#records.get(id)?.silence;
    if (!prev) throw new NotFoundError('silence not found');
    const now = this.#clock.now();
    if (silenceState(prev, now) === 'expired') return undefined;
    const expired = this.#expired(prev, now);
    this.#log('expire silence', expired, user);
    return this.#write({ writes: [expired], audit: [auditEntry('expire', expired, prev, now, { user, ...(reason ? { reason } : {}) })] });
  }

  /** The silencer saw these active silences mute an alert now. */
  noteMatched(ids: readonly string[], now: number): void {
    for (const id of ids) this.#lastMatched.set(id, now);
  }

  /** tocsin.yml silences.expire_unmatched_after (ms; 0 = never), applied by every maintenance pass. */
  setExpireUnmatchedAfter(ms: number): void {
    this.#expireUnmatchedAfter = ms;
  }

  /**
   * Expires every active silence that has muted no alert for `after` ms (since it started, since its last match,
   * or, as matches are kept in memory only, since this process started). Returns their ids.
   */
  expireUnmatched(after: number = this.#expireUnmatchedAfter): string[] {
    if (!(after > 0)) return [];
    const now = this.#clock.now();
    const reason = `matched no alert for ${formatDuration(after)} (silences.expire_unmatched_after)`;
    const due: Silence[] = [];
    for (const { silence: s } of this.#records.values()) {
      if (silenceState(s, now) !== 'active') continue;
      const since = Math.max(s.startsAt, this.#startedAt, this.#lastMatched.get(s.id) ?? 0);
      if (now - since >= after) due.push(s);
    }
    // one that mutes a firing alert now is in use, whoever flushes the alert's group
    const unmatched = new Set(due);
    if (due.length > 0 && this.#firing) {
      for (const labels of this.#firing()) {
        for (const s of unmatched) {
          if (!silenceMatches(s, labels)) continue;
          unmatched.delete(s);
          this.#lastMatched.set(s.id, now);
        }
        if (unmatched.size === 0) break;
      }
    }
    const gone = [...unmatched].map((s) => s.id);
    for (const id of gone) {
      this.expire(id, undefined, reason);
      this.#lastMatched.delete(id);
    }
    if (gone.length > 0) this.#logger.info({ silences: gone.length, after: formatDuration(after) }, 'Expired silences that matched no alert');
    return gone;
  }

  /** Removes silences whose retention has passed (expiresAt = endsAt + retention <= now). Returns how many. */
  gc(): number {
    this.#commits.flush(true);
    const end = this.#metrics.gcDuration.startTimer();
    try {
      const now = this.#clock.now();
      const gone: string[] = [];
      for (const [id, r] of this.#records) if (r.expiresAt <= now) gone.push(id);
      if (gone.length > 0) {
        try {
          this.#store.delete(gone);
        } catch (e) {
          this.#metrics.gcErrors.inc();
          throw e;
        }
        for (const id of gone) {
          this.#records.delete(id);
          this.#index.remove(id);
          this.#lastMatched.delete(id);
        }
        this.#version++;
      }
      return gone.length;
    } finally {
      end();
    }
  }

  /**
   * Runs GC every `intervalMs` (upstream Maintenance; the snapshot is not needed since every change is written
   * through). Stop with `stop()`.
   */
  startMaintenance(intervalMs: number): void {
    this.stop();
    const tick = () => {
      this.runMaintenance();
      this.#maintenanceTimer = this.#clock.setTimer(intervalMs, tick);
    };
    this.#maintenanceTimer = this.#clock.setTimer(intervalMs, tick);
  }

  /** One maintenance pass: GC, then refresh the "snapshot" metrics. */
  runMaintenance(): void {
    this.#metrics.maintenance.inc();
    const end = this.#metrics.snapshotDuration.startTimer();
    try {
      this.expireUnmatched();
      const n = this.gc();
      let bytes = 0;
      for (const r of this.#records.values()) bytes += meshSilenceSize(r.silence, r.expiresAt);
      this.#metrics.snapshotSize.set(bytes);
      this.#logger.debug({ removed: n }, 'Silences maintenance done');
    } catch (e) {
      this.#metrics.maintenanceErrors.inc();
      this.#logger.error({ err: e }, 'Running maintenance failed');
    } finally {
      end();
    }
  }

  stop(): void {
    this.#commits.flush(true);
    this.#maintenanceTimer?.cancel();
    this.#maintenanceTimer = undefined;
  }

  /** Resolves once every write made so far has been committed or has failed (shutdown, before the store closes). */
  async settled(): Promise<void> {
    await this.#commits.idle();
    await this.#store.settled?.();
  }

  // --- internals --------------------------------------------------------------------------------------------------

  #build(id: string, sil: SilenceInput, matcherSets: Matcher[][], startsAt: number, now: number): Silence {
    return freezeSilence({
      id,
      matcherSets,
      startsAt,
      endsAt: sil.endsAt,
      updatedAt: now,
      createdBy: sil.createdBy,
      comment: sil.comment,
      annotations: { ...(sil.annotations ?? {}) },
    });
  }

  #expired(prev: Silence, now: number): Silence {
    const pending = silenceState(prev, now) === 'pending';
    return freezeSilence({
      ...prev,
      matcherSets: prev.matcherSets,
      annotations: prev.annotations,
      startsAt: pending ? now : prev.startsAt,
      endsAt: now,
      updatedAt: now,
    });
  }

  #checkSize(s: Silence): void {
    if (this.#maxSize <= 0) return;
    const n = meshSilenceSize(s, s.endsAt + this.#retention);
    if (n > this.#maxSize) {
      throw new SilenceLimitError(`silence exceeded maximum size: ${n} bytes (limit: ${this.#maxSize} bytes)`);
    }
  }

  /**
   * Persists, then updates memory and the index. A synchronous store is durable on return (a failure throws
   * before memory changes). A store that commits off the event loop returns the commit's promise, returned
   * here: memory changes at once, and if the commit fails the change is undone (each silence whose record is
   * still the one written here gets its previous record back) before the promise's other handlers run.
   */
  #write({ writes, audit }: Writes): Promise<void> | undefined {
    const items = writes.map((s) => ({ silence: s, expiresAt: s.endsAt + this.#retention }));
    const before = items.map((it) => this.#records.get(it.silence.id));
    const committed = this.#store.put(
      items.map((it) => ({ silence: toStoredSilence(it.silence), expiresAt: it.expiresAt })),
      audit,
    );
    const now = this.#clock.now();
    for (const it of items) this.#hold(it.silence.id, it, now);
    this.#version++;
    if (!committed) return undefined;
    committed.catch((err: unknown) => {
      const now2 = this.#clock.now();
      items.forEach((it, i) => {
        if (this.#records.get(it.silence.id) === it) this.#hold(it.silence.id, before[i], now2);
      });
      this.#version++;
      this.#logger.error({ err, silences: items.length }, 'Storing silences failed; their change is undone');
    });
    return committed;
  }

  /** Sets (or, with undefined, removes) a silence's record and its index entry. */
  #hold(id: string, r: Record_ | undefined, now: number): void {
    if (!r) {
      this.#records.delete(id);
      this.#index.remove(id);
      return;
    }
    this.#records.set(id, r);
    if (silenceState(r.silence, now) === 'expired') this.#index.remove(id);
    else this.#index.add(id, r.silence.matcherSets);
  }

  #load(): void {
    const now = this.#clock.now();
    const stale: string[] = [];
    for (const row of this.#store.loadAll()) {
      if (row.expiresAt <= now) stale.push(row.silence.id);
      else this.#ingest(row, now);
    }
    if (stale.length > 0) this.#store.delete(stale);
    this.#version++;
  }

  /** Holds a stored row in memory and the index (matchers compiled lazily); false if its matchers are unusable. */
  #ingest(row: { silence: StoredSilence; expiresAt: number }, now: number): boolean {
    let matcherSets: Matcher[][];
    try {
      // regex matchers compile on first use (they were validated when created); one that no longer compiles
      // is reported then, like a failed load, and matches nothing
      matcherSets = lazyMatcherSets(row.silence.matcherSets, (e) => {
        this.#metrics.compileErrors.inc({ stage: 'load_snapshot' });
        this.#logger.error({ err: e, silence_id: row.silence.id }, 'Failed to compile silence matchers');
      });
    } catch (e) {
      this.#metrics.compileErrors.inc({ stage: 'load_snapshot' });
      this.#logger.error({ err: e, silence_id: row.silence.id }, 'Failed to compile silence matchers');
      return false;
    }
    const silence = freezeSilence({ ...row.silence, matcherSets });
    this.#records.set(silence.id, { silence, expiresAt: row.expiresAt });
    if (silenceState(silence, now) !== 'expired') this.#index.add(silence.id, matcherSets);
    else this.#index.remove(silence.id);
    return true;
  }

  /**
   * Takes in silences written by another replica (read back from the shared store): `rows` as stored now,
   * `removed` ids no longer stored. Memory only; the store already holds them.
   */
  applyStored(rows: readonly { silence: StoredSilence; expiresAt: number }[], removed: readonly string[] = []): void {
    const now = this.#clock.now();
    for (const row of rows) this.#ingest(row, now);
    for (const id of removed) {
      this.#records.delete(id);
      this.#index.remove(id);
    }
    this.#version++;
  }

  /** Replaces every silence held with the stored ones (a resync after changes may have been missed). */
  replaceAll(rows: readonly { silence: StoredSilence; expiresAt: number }[]): void {
    const keep = new Set(rows.map((r) => r.silence.id));
    this.applyStored(rows, [...this.#records.keys()].filter((id) => !keep.has(id)));
  }

  #matchIndexed(labels: LabelSet, now: number, states: readonly SilenceState[]): { silences: Silence[]; scanned: number } {
    const expiredSeen: string[] = [];
    const accept = (id: string) => {
      const r = this.#records.get(id);
      if (!r) return false;
      const st = silenceState(r.silence, now);
      if (st === 'expired') {
        expiredSeen.push(id);
        return false;
      }
      return states.includes(st);
    };
    const { ids, scanned } = this.#index.match(labels, accept);
    // Expired silences never become active again without a write, which re-indexes them.
    for (const id of expiredSeen) this.#index.remove(id);
    return { silences: ids.map((id) => this.#records.get(id)!.silence), scanned };
  }

  #log(msg: 'create silence' | 'update silence' | 'expire silence', s: Silence, user?: string): void {
    if (this.#history) recordSilence(this.#history, SILENCE_KINDS[msg], silenceFacts(s), this.#clock.now(), user, s);
    if (!this.#logSilences) return;
    this.#logger.info(
      {
        Id: s.id,
        CreatedBy: s.createdBy,
        Comment: s.comment,
        StartsAt: new Date(s.startsAt).toISOString(),
        EndsAt: new Date(s.endsAt).toISOString(),
        Matchers: renderedMatcherSets(s.matcherSets).join(' OR '),
      },
      msg,
    );
  }

  #registerMetrics(r: Registry): SilenceMetrics {
    // A registry may hold metrics of a previous instance (tests, restarts in-process): replace them.
    const fresh = (name: string) => r.removeSingleMetric(name);
    const counter = (name: string, help: string) => {
      fresh(name);
      return new Counter({ name, help, registers: [r] });
    };
    const summary = (name: string, help: string) => {
      fresh(name);
      return new Summary({ name, help, percentiles: [], registers: [r] });
    };
    const gauge = (name: string, help: string, collect?: (g: Gauge) => void) => {
      fresh(name);
      return new Gauge({
        name,
        help,
        registers: [r],
        ...(collect
          ? {
              collect(this: Gauge) {
                collect(this);
              },
            }
          : {}),
      });
    };
    fresh('alertmanager_silences');
    new Gauge({
      name: 'alertmanager_silences',
      help: 'How many silences by state.',
      labelNames: ['state'],
      registers: [r],
      collect: (() => {
        const self = this;
        return function (this: Gauge<'state'>) {
          const now = self.#clock.now();
          const counts = { active: 0, pending: 0, expired: 0 };
          for (const { silence } of self.#records.values()) counts[silenceState(silence, now)]++;
          for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
        };
      })(),
    });
    gauge('alertmanager_silences_state_size', 'The number of silences in the state map.', (g) => g.set(this.#records.size));
    gauge('alertmanager_silences_matcher_index_size', 'The number of entries in the matcher cache index.', (g) =>
      g.set(this.#index.size),
    );
    gauge('alertmanager_silences_version_index_size', 'The number of entries in the version index.', (g) =>
      g.set(this.#records.size),
    );
    counter(
      'alertmanager_silences_gossip_messages_propagated_total',
      'Number of received gossip messages that have been further gossiped.',
    );
    fresh('alertmanager_silences_matcher_compile_errors_total');
    const compileErrors = new Counter({
      name: 'alertmanager_silences_matcher_compile_errors_total',
      help: 'How many silence matcher compilations failed.',
      labelNames: ['stage'],
      registers: [r],
    });
    compileErrors.inc({ stage: 'index' }, 0);
    compileErrors.inc({ stage: 'load_snapshot' }, 0);
    fresh('alertmanager_silences_query_duration_seconds');
    const queryDuration = new Histogram({
      name: 'alertmanager_silences_query_duration_seconds',
      help: 'Duration of silence query evaluation.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [r],
    });
    return {
      gcDuration: summary('alertmanager_silences_gc_duration_seconds', 'Duration of the last silence garbage collection cycle.'),
      gcErrors: counter('alertmanager_silences_gc_errors_total', 'How many silence GC errors were encountered.'),
      snapshotDuration: summary('alertmanager_silences_snapshot_duration_seconds', 'Duration of the last silence snapshot.'),
      snapshotSize: gauge('alertmanager_silences_snapshot_size_bytes', 'Size of the last silence snapshot in bytes.'),
      maintenance: counter('alertmanager_silences_maintenance_total', 'How many maintenances were executed for silences.'),
      maintenanceErrors: counter(
        'alertmanager_silences_maintenance_errors_total',
        'How many maintenances were executed for silences that failed.',
      ),
      queries: counter('alertmanager_silences_queries_total', 'How many silence queries were received.'),
      queryErrors: counter('alertmanager_silences_query_errors_total', 'How many silence received queries did not succeed.'),
      queryDuration,
      scanned: counter('alertmanager_silences_query_silences_scanned_total', 'How many silences were scanned during query evaluation.'),
      skipped: counter(
        'alertmanager_silences_query_silences_skipped_total',
        'How many silences were skipped during query evaluation using the version index.',
      ),
      compileErrors,
    };
  }
}

/** OR over matcher sets, AND within a set (missing label = ""). */
export function silenceMatches(s: Pick<Silence, 'matcherSets'>, labels: LabelSet): boolean {
  return s.matcherSets.some((set) => matchesLabels(set, labels));
}
