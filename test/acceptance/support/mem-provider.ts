/**
 * A minimal in-memory AlertsProvider with upstream's merge rules (reference §3.1), for tests until
 * src/provider lands.
 */
import type { AlertsProvider } from '../../../src/provider/types';
import type { Alert } from '../../../src/types/alert';
import type { Clock } from '../../../src/types/clock';

export class MemProvider implements AlertsProvider {
  readonly #alerts = new Map<string, Alert>();
  readonly #subs = new Set<(a: Alert) => void>();
  readonly #dels = new Set<(fps: readonly string[]) => void>();
  constructor(readonly clock: Clock) {}

  put(alerts: readonly Alert[]): readonly Alert[] {
    const out: Alert[] = [];
    for (const a of alerts) {
      const old = this.#alerts.get(a.fingerprint);
      const merged = old ? merge(old, a, this.clock.now()) : a;
      this.#alerts.set(a.fingerprint, merged);
      out.push(merged);
    }
    for (const m of out) for (const s of this.#subs) s(m);
    return out;
  }
  get(fp: string) {
    return this.#alerts.get(fp);
  }
  all() {
    return this.#alerts.values();
  }
  count() {
    return this.#alerts.size;
  }
  subscribe(l: (a: Alert) => void): () => void {
    this.#subs.add(l);
    return () => {
      this.#subs.delete(l);
    };
  }
  onDelete(l: (fps: readonly string[]) => void): () => void {
    this.#dels.add(l);
    return () => {
      this.#dels.delete(l);
    };
  }
  released(fps: readonly string[]): void {
    const gone = fps.filter((fp) => !this.#alerts.has(fp));
    if (gone.length > 0) for (const l of this.#dels) l(gone);
  }
  /** test hook: GC these fingerprints */
  remove(fps: readonly string[]): void {
    for (const fp of fps) this.#alerts.delete(fp);
    for (const l of this.#dels) l(fps);
  }
}

function resolvedAt(a: Alert, now: number) {
  return a.endsAt !== 0 && a.endsAt <= now;
}

function merge(o: Alert, n: Alert, now: number): Alert {
  const overlap = (n.endsAt > o.startsAt && n.endsAt < o.endsAt) || (n.startsAt > o.startsAt && n.startsAt < o.endsAt);
  if (!overlap) return n;
  const [older, younger] = o.updatedAt > n.updatedAt ? [n, o] : [o, n];
  let endsAt = younger.endsAt;
  if (resolvedAt(younger, now)) {
    if (resolvedAt(older, now) && older.endsAt > younger.endsAt) endsAt = older.endsAt;
  } else if (older.endsAt > younger.endsAt && !older.timeout) endsAt = older.endsAt;
  return { ...younger, startsAt: Math.min(o.startsAt, n.startsAt), endsAt };
}
