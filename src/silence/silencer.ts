/**
 * The silence Muter (upstream silence.Silencer): tells whether active silences mute a label set and records
 * `silencedBy` on the AlertMarker. Results are cached per fingerprint and keyed by the Silences version, so an
 * unchanged silence state costs a map lookup plus a state check of the previously matching silences.
 */
import type { HistorySink } from '../history/sink';
import { muteChanged, recordSilenceMute } from '../history/mute-events';
import type { LabelSet } from '../types/alert';
import type { Clock } from '../types/clock';
import { fingerprint as fingerprintOf } from '../types/fingerprint';
import type { AlertMarker } from '../types/marker';
import type { Silences } from './silences';
import { silenceState } from './types';

interface CacheEntry {
  /** matching silences that were active or pending when computed */
  ids: string[];
}

export interface SilencerOptions {
  silences: Silences;
  marker: AlertMarker;
  clock: Clock;
  /** the history recorder (src/history): silence_muted_alert / alert_unmuted when an alert's silences change */
  history?: HistorySink;
}

export class Silencer {
  readonly #silences: Silences;
  readonly #marker: AlertMarker;
  readonly #clock: Clock;
  readonly #history: HistorySink | undefined;
  readonly #cache = new Map<string, CacheEntry>();
  #cacheVersion = -1;

  constructor(opts: SilencerOptions) {
    this.#silences = opts.silences;
    this.#marker = opts.marker;
    this.#clock = opts.clock;
    this.#history = opts.history;
  }

  /** True if at least one active silence matches; records all active matching silence IDs as silencedBy. */
  mutes(labels: LabelSet, fingerprint: string = fingerprintOf(labels)): boolean {
    const ids = this.silencedBy(labels, fingerprint);
    if (this.#history) this.#recordChange(fingerprint, labels, ids);
    this.#marker.setSilenced(fingerprint, ids);
    return ids.length > 0;
  }

  #recordChange(fp: string, labels: LabelSet, ids: readonly string[]): void {
    const before = this.#marker.status(fp).silencedBy;
    if (!muteChanged(before, ids)) return;
    const silences = ids.map((id) => this.#silences.get(id)).filter((s) => s !== undefined);
    recordSilenceMute(this.#history!, fp, labels, before, ids, this.#clock.now(), silences);
  }

  /** The active silences matching the labels, without touching the marker. */
  silencedBy(labels: LabelSet, fingerprint: string = fingerprintOf(labels)): string[] {
    const version = this.#silences.version();
    if (version !== this.#cacheVersion) {
      // Entries of an older version are never reused (a miss recomputes in full), so drop them all: the cache
      // then holds only alerts seen since the last silence change.
      this.#cache.clear();
      this.#cacheVersion = version;
    }
    const cached = this.#cache.get(fingerprint);
    const now = this.#clock.now();
    let candidates: string[];
    if (cached) {
      if (cached.ids.length === 0) return [];
      candidates = cached.ids;
    } else {
      candidates = this.#silences.query({ matches: labels, states: ['active', 'pending'] }).map((s) => s.id);
    }
    const active: string[] = [];
    const live: string[] = [];
    for (const id of candidates) {
      const s = this.#silences.get(id);
      if (!s) continue;
      const st = silenceState(s, now);
      if (st === 'expired') continue;
      live.push(id);
      if (st === 'active') active.push(id);
    }
    this.#cache.set(fingerprint, { ids: live });
    return active;
  }

  /** Drops the cached result of an alert that is gone (upstream PostGC / PostDelete). */
  forget(fingerprint: string): void {
    this.#cache.delete(fingerprint);
  }

  /** Number of cached fingerprints. */
  get cacheSize(): number {
    return this.#cache.size;
  }
}
