/**
 * @module inhibit/rule
 * One inhibition rule with its source index (upstream inhibit/inhibit.go + inhibit/index.go, master):
 * per combination of `equal` label values, only the source alert with the latest endsAt is kept, so a
 * check is one map lookup and never a scan of the sources.
 */
import type { Matcher } from '../matchers/types';
import { type Alert, isResolved, type LabelSet } from '../types/alert';

function allMatch(ms: readonly Matcher[], labels: LabelSet): boolean {
  for (const m of ms) if (!m.matches(labels[m.name] ?? '')) return false;
  return true;
}

/**
 * An `inhibit_rules` entry as this module reads it; the config's InhibitRuleConfig (src/config/types.ts)
 * satisfies it structurally, so inhibit does not import the config layer above it.
 */
export interface InhibitRuleSpec {
  name?: string;
  source_matchers?: readonly Matcher[];
  target_matchers?: readonly Matcher[];
  equal?: readonly string[];
}

interface Source {
  fingerprint: string;
  endsAt: number;
  /** the source also matches the rule's target side */
  matchesTarget: boolean;
}

export class InhibitRule {
  readonly name: string | undefined;
  readonly sourceMatchers: readonly Matcher[];
  readonly targetMatchers: readonly Matcher[];
  readonly equal: readonly string[];
  /** equal-values key -> indexed source */
  readonly #index = new Map<string, Source>();
  /** source fingerprint -> its key, to drop deleted alerts */
  readonly #keyOf = new Map<string, string>();

  constructor(cfg: InhibitRuleSpec) {
    this.name = cfg.name;
    this.sourceMatchers = cfg.source_matchers ?? [];
    this.targetMatchers = cfg.target_matchers ?? [];
    this.equal = cfg.equal ?? [];
  }

  /** A missing equal label is the empty string, as upstream. */
  equalKey(labels: LabelSet): string {
    let k = '';
    for (const n of this.equal) k += `${labels[n] ?? ''}\xff`;
    return k;
  }

  matchesSource(labels: LabelSet): boolean {
    return allMatch(this.sourceMatchers, labels);
  }

  matchesTarget(labels: LabelSet): boolean {
    return allMatch(this.targetMatchers, labels);
  }

  get indexedSources(): number {
    return this.#index.size;
  }

  /** Feed every stored version of every alert. */
  observe(a: Alert): void {
    if (!this.matchesSource(a.labels)) return;
    const key = this.equalKey(a.labels);
    const cur = this.#index.get(key);
    if (!cur || cur.fingerprint === a.fingerprint || endsLater(a.endsAt, cur.endsAt)) {
      if (cur && cur.fingerprint !== a.fingerprint) this.#keyOf.delete(cur.fingerprint);
      this.#index.set(key, { fingerprint: a.fingerprint, endsAt: a.endsAt, matchesTarget: this.matchesTarget(a.labels) });
      this.#keyOf.set(a.fingerprint, key);
    }
  }

  forget(fp: string): void {
    const key = this.#keyOf.get(fp);
    if (key === undefined) return;
    this.#keyOf.delete(fp);
    if (this.#index.get(key)?.fingerprint === fp) this.#index.delete(key);
  }

  /** Drop resolved sources (upstream runs this every 15 min). */
  gc(now: number): void {
    for (const [k, s] of this.#index) {
      if (isResolved(s, now)) {
        this.#index.delete(k);
        this.#keyOf.delete(s.fingerprint);
      }
    }
  }

  /** The fingerprint of the source inhibiting a target with these labels, if any. */
  inhibitingSource(labels: LabelSet, now: number): string | undefined {
    if (!this.matchesTarget(labels)) return undefined;
    const s = this.#index.get(this.equalKey(labels));
    if (!s || isResolved(s, now)) return undefined;
    // an alert matching both sides is never inhibited by a source that also matches both sides (no self-inhibition)
    if (s.matchesTarget && this.matchesSource(labels)) return undefined;
    return s.fingerprint;
  }
}

/** endsAt 0 (unset) counts as "never ends". */
function endsLater(a: number, b: number): boolean {
  if (b === 0) return false;
  if (a === 0) return true;
  return a > b;
}
