/**
 * @module routing/labels
 * Go-compatible orderings of label sets and alerts, used for sorts. The label-set string form (group keys) and
 * Go string quoting/ordering live in src/types/labels.ts.
 */
import type { Alert, LabelSet } from '../types/alert';
import { compareStrings } from '../types/labels';

/** model.LabelSet.Before as a comparator: fewer labels first, then by the sorted union of names, then values. */
export function compareLabelSets(a: LabelSet, b: LabelSet): number {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return ka.length < kb.length ? -1 : 1;
  const names = [...new Set([...ka, ...kb])].sort(compareStrings);
  for (const n of names) {
    const va = a[n];
    const vb = b[n];
    if (va === undefined) return -1;
    if (vb === undefined) return 1;
    if (va !== vb) return compareStrings(va, vb);
  }
  return 0;
}

/** alert.AlertSlice order: by job, then instance (alerts lacking the label after), then the label set. */
export function compareAlerts(a: Pick<Alert, 'labels'>, b: Pick<Alert, 'labels'>): number {
  for (const key of ['job', 'instance']) {
    const x = a.labels[key];
    const y = b.labels[key];
    if (x === undefined && y === undefined) continue;
    if (x === undefined) return 1;
    if (y === undefined) return -1;
    if (x !== y) return compareStrings(x, y);
  }
  return compareLabelSets(a.labels, b.labels);
}
