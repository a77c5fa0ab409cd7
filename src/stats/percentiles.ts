/**
 * Exact percentiles of a large array (a CT volume's voxels) without sorting it: numpy's default definition
 * (linear interpolation between the order statistics at rank q·(n − 1), as `quantileSorted` in summary.ts), found in two
 * passes — count the values into 65,536 equal-width bins between the minimum and maximum, then collect and sort
 * only the values of the bins holding the wanted ranks. Non-finite values (NaN, ±∞) are left out.
 */
const BINS = 65536;

/** The q-quantiles (each q in 0–1) of the finite values of `data`; all null when there is none. */
export function percentiles(data: ArrayLike<number>, qs: readonly number[]): (number | null)[] {
  let min = Infinity;
  let max = -Infinity;
  let n = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isFinite(v)) continue;
    n++;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (n === 0) return qs.map(() => null);
  if (min === max) return qs.map(() => min);
  const scale = BINS / (max - min);
  const binOf = (v: number) => Math.min(BINS - 1, Math.floor((v - min) * scale));
  const counts = new Float64Array(BINS);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (Number.isFinite(v)) counts[binOf(v)]++;
  }
  // The ranks each quantile interpolates between, then the bin and offset within it of each rank.
  const ranks = qs.flatMap((q) => {
    const lo = Math.floor(q * (n - 1));
    return [lo, Math.min(lo + 1, n - 1)];
  });
  const starts = new Float64Array(BINS);
  for (let b = 1; b < BINS; b++) starts[b] = starts[b - 1] + counts[b - 1];
  const rankBin = ranks.map((r) => {
    let lo = 0;
    let hi = BINS - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= r) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  });
  const members = new Map<number, number[]>(rankBin.map((b) => [b, []]));
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (Number.isFinite(v)) members.get(binOf(v))?.push(v);
  }
  for (const values of members.values()) values.sort((a, b) => a - b);
  const valueAt = (k: number) => members.get(rankBin[k])![ranks[k] - starts[rankBin[k]]];
  return qs.map((q, i) => {
    const lo = valueAt(2 * i);
    const hi = valueAt(2 * i + 1);
    return lo + (hi - lo) * (q * (n - 1) - ranks[2 * i]);
  });
}
