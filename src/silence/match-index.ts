/**
 * An index over silences' matcher sets so that finding the silences matching a label set does not evaluate
 * every silence. Each matcher set is filed under one of:
 *  - an equality matcher with a non-empty value (`name="v"`): found by looking up the alert's (name, value);
 *  - else a matcher that requires the label to be present (`=~` whose regex does not match ""): found by name;
 *  - else the small "scan" list (sets made only of negative or empty-matching matchers), checked every time.
 * Candidates are then confirmed with the full matcher set.
 */
import { labelValue, matchesLabels } from '../matchers/matcher';
import type { Matcher } from '../matchers/types';
import type { LabelSet } from '../types/alert';

interface Entry {
  readonly id: string;
  readonly matchers: readonly Matcher[];
}

type Slot =
  | { kind: 'eq'; name: string; value: string }
  | { kind: 'prefix'; name: string; prefixes: string[] }
  | { kind: 'name'; name: string }
  | { kind: 'scan' };

export class SilenceMatchIndex {
  readonly #eq = new Map<string, Map<string, Set<Entry>>>();
  readonly #byName = new Map<string, Set<Entry>>();
  /** regex matchers with known literal prefixes: name -> prefix -> entries */
  readonly #prefix = new Map<string, Map<string, Set<Entry>>>();
  /** name -> prefix length -> number of prefixes of that length */
  readonly #prefixLens = new Map<string, Map<number, number>>();
  readonly #scan = new Set<Entry>();
  readonly #entries = new Map<string, { entry: Entry; slot: Slot }[]>();

  /** Number of indexed silences. */
  get size(): number {
    return this.#entries.size;
  }

  has(id: string): boolean {
    return this.#entries.has(id);
  }

  /** (Re)indexes a silence's matcher sets. */
  add(id: string, matcherSets: readonly (readonly Matcher[])[]): void {
    this.remove(id);
    const list: { entry: Entry; slot: Slot }[] = [];
    for (const matchers of matcherSets) {
      const entry: Entry = { id, matchers };
      const slot = chooseSlot(matchers, (name, value) => this.#eq.get(name)?.get(value)?.size ?? 0);
      if (slot.kind === 'eq') {
        let byValue = this.#eq.get(slot.name);
        if (!byValue) this.#eq.set(slot.name, (byValue = new Map()));
        let set = byValue.get(slot.value);
        if (!set) byValue.set(slot.value, (set = new Set()));
        set.add(entry);
      } else if (slot.kind === 'prefix') {
        let byPrefix = this.#prefix.get(slot.name);
        if (!byPrefix) this.#prefix.set(slot.name, (byPrefix = new Map()));
        let lens = this.#prefixLens.get(slot.name);
        if (!lens) this.#prefixLens.set(slot.name, (lens = new Map()));
        for (const p of slot.prefixes) {
          let set = byPrefix.get(p);
          if (!set) byPrefix.set(p, (set = new Set()));
          set.add(entry);
          lens.set(p.length, (lens.get(p.length) ?? 0) + 1);
        }
      } else if (slot.kind === 'name') {
        let set = this.#byName.get(slot.name);
        if (!set) this.#byName.set(slot.name, (set = new Set()));
        set.add(entry);
      } else {
        this.#scan.add(entry);
      }
      list.push({ entry, slot });
    }
    this.#entries.set(id, list);
  }

  remove(id: string): void {
    const list = this.#entries.get(id);
    if (!list) return;
    this.#entries.delete(id);
    for (const { entry, slot } of list) {
      if (slot.kind === 'eq') {
        const byValue = this.#eq.get(slot.name);
        const set = byValue?.get(slot.value);
        set?.delete(entry);
        if (set && set.size === 0) byValue!.delete(slot.value);
        if (byValue && byValue.size === 0) this.#eq.delete(slot.name);
      } else if (slot.kind === 'prefix') {
        const byPrefix = this.#prefix.get(slot.name);
        const lens = this.#prefixLens.get(slot.name);
        for (const p of slot.prefixes) {
          const set = byPrefix?.get(p);
          set?.delete(entry);
          if (set && set.size === 0) byPrefix!.delete(p);
          const n = (lens?.get(p.length) ?? 1) - 1;
          if (n <= 0) lens?.delete(p.length);
          else lens?.set(p.length, n);
        }
        if (byPrefix && byPrefix.size === 0) this.#prefix.delete(slot.name);
        if (lens && lens.size === 0) this.#prefixLens.delete(slot.name);
      } else if (slot.kind === 'name') {
        const set = this.#byName.get(slot.name);
        set?.delete(entry);
        if (set && set.size === 0) this.#byName.delete(slot.name);
      } else {
        this.#scan.delete(entry);
      }
    }
  }

  /**
   * IDs of indexed silences with a matcher set matching `labels`, each once. `accept(id)` filters candidates
   * before their matchers are evaluated (e.g. by state). Returns the number of sets evaluated too.
   */
  match(labels: LabelSet, accept: (id: string) => boolean): { ids: string[]; scanned: number } {
    const found = new Set<string>();
    let scanned = 0;
    const consider = (e: Entry) => {
      if (found.has(e.id) || !accept(e.id)) return;
      scanned++;
      if (matchesLabels(e.matchers, labels)) found.add(e.id);
    };
    for (const name of Object.keys(labels)) {
      const value = labelValue(labels, name);
      const eqSet = this.#eq.get(name)?.get(value);
      if (eqSet) for (const e of eqSet) consider(e);
      const byPrefix = this.#prefix.get(name);
      if (byPrefix) {
        for (const len of this.#prefixLens.get(name)!.keys()) {
          if (len > value.length) continue;
          const set = byPrefix.get(value.slice(0, len));
          if (set) for (const e of set) consider(e);
        }
      }
      const nameSet = this.#byName.get(name);
      if (nameSet && value !== '') for (const e of nameSet) consider(e);
    }
    for (const e of this.#scan) consider(e);
    return { ids: [...found], scanned };
  }
}

/**
 * `eqSize` is the current size of an equality bucket: of several equality matchers the set is filed under the one
 * with the smallest bucket, so silences that share `alertname="X"` but differ in `instance` spread over the
 * instance buckets instead of piling up in one that every alert named X would have to scan.
 */
function chooseSlot(matchers: readonly Matcher[], eqSize: (name: string, value: string) => number): Slot {
  let best: { m: Matcher; size: number } | undefined;
  for (const m of matchers) {
    if (m.type !== '=' || m.value === '') continue;
    const size = eqSize(m.name, m.value);
    if (!best || size < best.size) best = { m, size };
    if (size === 0) break;
  }
  if (best) return { kind: 'eq', name: best.m.name, value: best.m.value };
  for (const m of matchers) {
    if (m.type !== '=~') continue;
    const prefixes = literalPrefixes(m.value);
    if (prefixes) return { kind: 'prefix', name: m.name, prefixes };
  }
  for (const m of matchers) {
    // A matcher that rejects "" needs the label present and non-empty.
    if (!m.matches('')) return { kind: 'name', name: m.name };
  }
  return { kind: 'scan' };
}

const META = new Set(['.', '[', ']', '(', ')', '*', '+', '?', '{', '}', '^', '$', '|', '\\']);

/**
 * The literal prefixes a value must start with to match the (anchored) regex, one per top-level alternative,
 * or undefined when that cannot be told simply (flags, groups or classes at the start, an empty prefix).
 * Conservative: a returned prefix is always required; the full regex still decides.
 */
export function literalPrefixes(re: string): string[] | undefined {
  const branches: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '[') {
      // skip a character class (a ']' right after '[' or '[^' is literal)
      i++;
      if (re[i] === '^') i++;
      if (re[i] === ']') i++;
      while (i < re.length && re[i] !== ']') {
        if (re[i] === '\\') i++;
        i++;
      }
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      branches.push(re.slice(start, i));
      start = i + 1;
    }
  }
  branches.push(re.slice(start));
  const out = new Set<string>();
  for (const b of branches) {
    const chars: string[] = [];
    let i = 0;
    let stop = '';
    while (i < b.length) {
      const cp = b.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      if (ch === '\\') {
        const next = b[i + 1];
        // only escaped punctuation is a plain literal (\d, \w, \Q... are not)
        if (next === undefined || /[0-9A-Za-z]/.test(next)) {
          stop = '\\';
          break;
        }
        chars.push(next);
        i += 2;
        continue;
      }
      if (META.has(ch)) {
        stop = ch;
        break;
      }
      chars.push(ch);
      i += ch.length;
    }
    // the last literal may be optional or repeated zero times
    if (stop === '*' || stop === '?' || stop === '{') chars.pop();
    const prefix = chars.join('');
    if (prefix === '') return undefined;
    out.add(prefix);
  }
  return [...out];
}
