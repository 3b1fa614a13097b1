/**
 * @module silence/rendered-matchers
 * A silence's matcher sets as text (`{a="1",b=~"x"}`, one string per set), as the audit trail, the history and
 * --log.silences show them. A create asks for the same sets' text two or three times in a row (its history
 * event, its audit entry, the log line), so the last rendering is kept: one entry, not a WeakMap (whose insert
 * cost as much as the rendering it saved).
 */
let lastSets: readonly (readonly unknown[])[] | undefined;
let lastText: readonly string[] = [];

export function renderedMatcherSets(matcherSets: readonly (readonly unknown[])[]): readonly string[] {
  if (matcherSets !== lastSets) {
    lastText = matcherSets.map((set) => `{${set.map(String).join(',')}}`);
    lastSets = matcherSets;
  }
  return lastText;
}
