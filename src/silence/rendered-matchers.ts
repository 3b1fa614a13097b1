/**
 * @module silence/rendered-matchers
 * A silence's matcher sets as text (`{a="1",b=~"x"}`, one string per set), as the audit trail, the history and
 * --log.silences show them. Made once per matcher sets: a create renders them for its audit entry and its history
 * event, and an expiry or in-place update of a silence shares the sets (and so the text) of the version before.
 */
const cache = new WeakMap<readonly (readonly unknown[])[], readonly string[]>();

export function renderedMatcherSets(matcherSets: readonly (readonly unknown[])[]): readonly string[] {
  let out = cache.get(matcherSets);
  if (!out) {
    out = matcherSets.map((set) => `{${set.map(String).join(',')}}`);
    cache.set(matcherSets, out);
  }
  return out;
}
