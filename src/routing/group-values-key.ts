/**
 * @module routing/group-values-key
 * A key for the values an alert has for a route's group_by labels: two alerts get the same key exactly when
 * they have the same group labels (Route.groupLabels), so a live group is found without building its labels
 * and their string form (labelSetString: names sorted, values Go-quoted) for every alert routed.
 */
import type { LabelSet } from '../types/alert';

/**
 * One name: the value itself (undefined when the alert lacks the label, which no string equals). Several: per
 * name, `-` when missing or `+<length>:<value>`, which reads back one way only whatever the values hold.
 */
export function groupValuesKey(names: readonly string[], labels: LabelSet): string | undefined {
  if (names.length === 1) return labels[names[0]!];
  let key = '';
  for (const n of names) {
    const v = labels[n];
    key += v === undefined ? '-' : `+${v.length}:${v}`;
  }
  return key;
}
