/**
 * Wilcoxon signed-rank test (Wilcoxon 1945), two-sided, on paired values a − b. Zero differences are dropped
 * (Wilcoxon's convention, scipy's `zero_method='wilcox'`), the rest ranked by |difference| with average ranks
 * for ties. The p-value is exact (the null distribution of the rank sum counted by dynamic programming over the
 * 2ⁿ sign patterns) for up to 50 differences without ties, else from the normal approximation with the tie
 * correction Σ(t³ − t)/48 in the variance and no continuity correction — as scipy's `wilcoxon(a, b,
 * method='exact')` and `wilcoxon(a, b, method='approx')`.
 */
import { MultiraterError } from '../errors.ts';
import { normalTwoSided } from './distributions.ts';

/** Options of {@link wilcoxonSignedRank}. */
export interface WilcoxonOptions {
  /** 'exact' (no ties allowed), 'normal', or 'auto' (default): exact when n ≤ 50 and no ties. */
  method?: 'auto' | 'exact' | 'normal';
}

/** Wilcoxon signed-rank result. p, statistic and z are null when no non-zero difference remains. */
export interface WilcoxonResult {
  /** min(W+, W−), the two-sided statistic. */
  statistic: number | null;
  /** Sum of the ranks of positive differences. */
  wPlus: number;
  /** Sum of the ranks of negative differences. */
  wMinus: number;
  /** Non-zero differences ranked. */
  n: number;
  /** Zero differences dropped. */
  zeros: number;
  /** Standardised statistic of the normal approximation; null for the exact method. */
  z: number | null;
  /** Two-sided p-value. */
  p: number | null;
  /** How p was computed. */
  method: 'exact' | 'normal';
}

/** The exact distributions are counted up to this many differences. */
const EXACT_MAX_N = 50;

/** Wilcoxon signed-rank test of a against b (same length; pairs with a null on either side are dropped). */
export function wilcoxonSignedRank(
  a: readonly (number | null)[],
  b: readonly (number | null)[],
  options: WilcoxonOptions = {},
): WilcoxonResult {
  if (a.length !== b.length) {
    throw new MultiraterError(
      'size_mismatch',
      `Wilcoxon signed-rank test: ${a.length} values against ${b.length}, expected the same cases`,
    );
  }
  const diffs: number[] = [];
  let zeros = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === null || y === null) continue;
    if (x === y) zeros++;
    else diffs.push(x - y);
  }
  const n = diffs.length;
  const order = diffs.map((_, i) => i).sort((i, j) => Math.abs(diffs[i]) - Math.abs(diffs[j]));
  let wPlus = 0;
  let wMinus = 0;
  let tieTerm = 0;
  for (let start = 0; start < n;) {
    let end = start + 1;
    while (end < n && Math.abs(diffs[order[end]]) === Math.abs(diffs[order[start]])) end++;
    const rank = (start + 1 + end) / 2;
    const t = end - start;
    tieTerm += t * t * t - t;
    for (let k = start; k < end; k++) {
      if (diffs[order[k]] > 0) wPlus += rank;
      else wMinus += rank;
    }
    start = end;
  }
  const requested = options.method ?? 'auto';
  const hasTies = tieTerm > 0;
  if (requested === 'exact' && hasTies) {
    throw new MultiraterError(
      'invalid_argument',
      'Wilcoxon signed-rank test: the exact method needs differences without ties; use the normal approximation',
    );
  }
  const method: 'exact' | 'normal' =
    requested === 'normal' || hasTies || (requested === 'auto' && n > EXACT_MAX_N) ? 'normal' : 'exact';
  if (n === 0) return { statistic: null, wPlus, wMinus, n, zeros, z: null, p: null, method };
  const statistic = Math.min(wPlus, wMinus);
  if (method === 'exact')
    return { statistic, wPlus, wMinus, n, zeros, z: null, p: exactTwoSided(statistic, n), method };
  const mean = (n * (n + 1)) / 4;
  const variance = (n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48;
  if (variance <= 0) return { statistic, wPlus, wMinus, n, zeros, z: null, p: null, method };
  const z = (statistic - mean) / Math.sqrt(variance);
  return { statistic, wPlus, wMinus, n, zeros, z, p: Math.min(1, normalTwoSided(z)), method };
}

/** 2·P(W ≤ w) under H0 for n untied ranks 1..n, capped at 1. */
function exactTwoSided(w: number, n: number): number {
  const maxSum = (n * (n + 1)) / 2;
  const counts = new Float64Array(maxSum + 1);
  counts[0] = 1;
  for (let r = 1; r <= n; r++) {
    for (let s = Math.min(maxSum, (r * (r + 1)) / 2); s >= r; s--) counts[s] += counts[s - r];
  }
  let below = 0;
  for (let s = 0; s <= w; s++) below += counts[s];
  return Math.min(1, (2 * below) / 2 ** n);
}
