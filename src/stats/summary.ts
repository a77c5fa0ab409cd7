/**
 * Descriptive summary of one metric over cases (SPEC-metrics.md): mean ± sample standard deviation (n − 1),
 * median and quartiles with linear interpolation (numpy's default percentile), n, and how many nulls were skipped.
 */

/** Summary of the non-null values; statistics that need more values than there are are null. */
export interface Summary {
  /** Arithmetic mean; null when n = 0. */
  mean: number | null;
  /** Sample standard deviation (divisor n − 1); null when n < 2. */
  sd: number | null;
  /** Median; null when n = 0. */
  median: number | null;
  /** First quartile (25th percentile); null when n = 0. */
  q1: number | null;
  /** Third quartile (75th percentile); null when n = 0. */
  q3: number | null;
  /** Interquartile range q3 − q1; null when n = 0. */
  iqr: number | null;
  /** Smallest value; null when n = 0. */
  min: number | null;
  /** Largest value; null when n = 0. */
  max: number | null;
  /** Number of non-null values summarised. */
  n: number;
  /** Number of null (undefined) values skipped. */
  skipped: number;
}

/** Summarises `values`, skipping nulls (and counting them). */
export function summarize(values: readonly (number | null)[]): Summary {
  const xs = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  const n = xs.length;
  const skipped = values.length - n;
  if (n === 0)
    return { mean: null, sd: null, median: null, q1: null, q3: null, iqr: null, min: null, max: null, n, skipped };
  const mean = xs.reduce((s, v) => s + v, 0) / n;
  const sd = n < 2 ? null : Math.sqrt(xs.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  const q1 = quantileSorted(xs, 0.25);
  const q3 = quantileSorted(xs, 0.75);
  return { mean, sd, median: quantileSorted(xs, 0.5), q1, q3, iqr: q3 - q1, min: xs[0], max: xs[n - 1], n, skipped };
}

/** The q-quantile (0–1) of ascending `sorted` values with linear interpolation (numpy's default). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
