/**
 * @module history/series
 * The History page's chart (issue 14): the history aggregated into time buckets, one series per alertname,
 * label value or receiver.
 * - `alerts`: how many alerts were firing during each bucket (an alert counts in every bucket its firing
 *   interval, alert_created to alert_resolved, touches), stacked by alertname or by a label's value;
 * - `notifications`: notification attempts per receiver and bucket, with the failed ones counted apart.
 * A storage answers with sparse cells (series, bucket, delta or count); `buildSeries` turns them into dense
 * arrays, keeps the `top` largest series and sums the rest into one "other" series.
 */

export type SeriesKind = 'alerts' | 'notifications';
export const SERIES_KINDS: readonly SeriesKind[] = ['alerts', 'notifications'];

export interface SeriesQuery {
  kind: SeriesKind;
  /** `alertname`, a label name (alerts) or `receiver` (notifications) */
  by: string;
  /** epoch ms, a multiple of step (see seriesWindow) */
  since: number;
  /** epoch ms, exclusive, since + buckets * step */
  until: number;
  /** bucket width, ms */
  step: number;
  /** the largest series kept; the rest are summed as "other" */
  top: number;
}

/**
 * One aggregated cell of a storage's answer. For `alerts`, `value` is a change in the number of firing alerts
 * starting at `bucket` (+n: intervals starting there, or already running at since, in bucket 0; -n: intervals
 * that ended in bucket - 1); for `notifications` it is the attempts in the bucket and `failed` the failed ones.
 */
export interface SeriesCell {
  /** the series' name; null when the alert lacks the label */
  series: string | null;
  bucket: number;
  value: number;
  failed?: number;
}

export interface Series {
  /** alertname, label value ("" when the alert has no such label), receiver; "other" when `other` is set */
  name: string;
  other?: boolean;
  /** one value per bucket */
  values: number[];
  /** notifications only: failed attempts per bucket */
  failures?: number[];
}

export interface SeriesResult {
  kind: SeriesKind;
  by: string;
  since: number;
  until: number;
  step: number;
  /** largest first (by total), "other" last */
  series: Series[];
}

/** The most buckets one answer holds. */
export const MAX_BUCKETS = 1000;
/** Default number of buckets when no step is given. */
export const DEFAULT_BUCKETS = 120;
export const MAX_TOP = 50;

/** Steps a chart reads well at (ms). */
const NICE_STEPS = [
  10e3, 15e3, 30e3, 60e3, 2 * 60e3, 5 * 60e3, 10 * 60e3, 15 * 60e3, 30 * 60e3, 3600e3, 2 * 3600e3, 3 * 3600e3, 6 * 3600e3, 12 * 3600e3, 86_400e3,
];

/** A readable step giving about DEFAULT_BUCKETS buckets over `span` ms. */
export function defaultStep(span: number): number {
  const want = span / DEFAULT_BUCKETS;
  return NICE_STEPS.find((s) => s >= want) ?? Math.ceil(want / 86_400e3) * 86_400e3;
}

/** The window widened to whole buckets aligned on multiples of step (so a refresh keeps its buckets). */
export function seriesWindow(since: number, until: number, step: number): { since: number; until: number; buckets: number } {
  const s = Math.floor(since / step) * step;
  const u = Math.max(s + step, Math.ceil(until / step) * step);
  return { since: s, until: u, buckets: Math.round((u - s) / step) };
}

/** Dense series from a storage's cells, the `top` largest by total, the rest summed as "other". */
export function buildSeries(q: SeriesQuery, cells: Iterable<SeriesCell>): SeriesResult {
  const buckets = Math.round((q.until - q.since) / q.step);
  const byName = new Map<string, Series>();
  const notify = q.kind === 'notifications';
  for (const c of cells) {
    if (c.bucket < 0 || c.bucket >= buckets) continue;
    const name = c.series ?? '';
    let s = byName.get(name);
    if (!s) {
      s = { name, values: new Array<number>(buckets).fill(0), ...(notify ? { failures: new Array<number>(buckets).fill(0) } : {}) };
      byName.set(name, s);
    }
    s.values[c.bucket]! += c.value;
    if (s.failures && c.failed) s.failures[c.bucket]! += c.failed;
  }
  const totals = new Map<Series, number>();
  for (const s of byName.values()) {
    if (!notify) {
      // deltas to levels: the number firing in each bucket
      let level = 0;
      for (let i = 0; i < buckets; i++) {
        level += s.values[i]!;
        s.values[i] = Math.max(0, level);
      }
    }
    totals.set(s, s.values.reduce((a, b) => a + b, 0));
  }
  const ranked = [...byName.values()].filter((s) => totals.get(s)! > 0 || s.failures?.some((f) => f > 0));
  ranked.sort((a, b) => totals.get(b)! - totals.get(a)! || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const kept = ranked.slice(0, q.top);
  const rest = ranked.slice(q.top);
  if (rest.length > 0) {
    const other: Series = { name: 'other', other: true, values: new Array<number>(buckets).fill(0), ...(notify ? { failures: new Array<number>(buckets).fill(0) } : {}) };
    for (const s of rest) {
      for (let i = 0; i < buckets; i++) {
        other.values[i]! += s.values[i]!;
        if (other.failures) other.failures[i]! += s.failures![i]!;
      }
    }
    kept.push(other);
  }
  return { kind: q.kind, by: q.by, since: q.since, until: q.until, step: q.step, series: kept };
}
