'use strict';
// Small numeric helpers for the benchmark harness (no dependencies).

/** Percentile p (0..100) of an already sorted array, nearest-rank method. */
function percentileSorted(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  if (p <= 0) return sorted[0];
  if (p >= 100) return sorted[sorted.length - 1];
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

function sortedCopy(values) {
  return Float64Array.from(values).sort();
}

/** p50, p99, max, min, mean and count of a list of numbers. */
function summarize(values) {
  const s = sortedCopy(values);
  let sum = 0;
  for (const v of s) sum += v;
  return {
    count: s.length,
    min: s.length ? s[0] : Number.NaN,
    p50: percentileSorted(s, 50),
    p99: percentileSorted(s, 99),
    max: s.length ? s[s.length - 1] : Number.NaN,
    mean: s.length ? sum / s.length : Number.NaN,
  };
}

/** Median of a list (mean of the two middle values for even lengths). */
function median(values) {
  const s = sortedCopy(values);
  if (s.length === 0) return Number.NaN;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** {median, min, max, n} of the finite numbers in a list; null when there are none. */
function spread(values) {
  const finite = values.filter((v) => typeof v === 'number' && Number.isFinite(v));
  if (finite.length === 0) return null;
  return { median: median(finite), min: Math.min(...finite), max: Math.max(...finite), n: finite.length };
}

module.exports = { percentileSorted, summarize, median, spread };
