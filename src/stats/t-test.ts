/**
 * Two-sided t-tests (Student 1908; Welch 1947, "The generalization of Student's problem…", Biometrika 34):
 * paired on per-case differences, and Welch's unequal-variance test for independent groups with the
 * Welch–Satterthwaite degrees of freedom. p-values from the exact Student-t CDF. Same results as scipy's
 * `ttest_rel(a, b)` and `ttest_ind(a, b, equal_var=False)`.
 */
import { MultiraterError } from '../errors.ts';
import { studentTTwoSided } from './distributions.ts';

/** A t-test result; statistic, df and p are null when undefined (too few values, or zero variance). */
export interface TTestResult {
  /** Mean of a minus mean of b (paired: mean of the differences a − b). */
  meanDifference: number | null;
  /** t statistic. */
  t: number | null;
  /** Degrees of freedom (Welch: fractional). */
  df: number | null;
  /** Two-sided p-value. */
  p: number | null;
  /** Values used: pairs for the paired test, na + nb for Welch. */
  n: number;
}

/** Paired t-test of a against b (same length; pairs with a null on either side are dropped). */
export function pairedTTest(a: readonly (number | null)[], b: readonly (number | null)[]): TTestResult {
  if (a.length !== b.length) {
    throw new MultiraterError(
      'size_mismatch',
      `paired t-test: ${a.length} values against ${b.length}, expected the same cases`,
    );
  }
  const diffs: number[] = [];
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x !== null && y !== null) diffs.push(x - y);
  }
  const n = diffs.length;
  if (n === 0) return { meanDifference: null, t: null, df: null, p: null, n };
  const { mean, variance } = meanVariance(diffs);
  if (n < 2 || negligibleVariance(variance, [...a, ...b]))
    return { meanDifference: mean, t: null, df: null, p: null, n };
  const t = mean / Math.sqrt(variance / n);
  return { meanDifference: mean, t, df: n - 1, p: studentTTwoSided(t, n - 1), n };
}

/** Welch's unequal-variance t-test of group a against group b (nulls skipped). */
export function welchTTest(a: readonly (number | null)[], b: readonly (number | null)[]): TTestResult {
  const xa = a.filter((v): v is number => v !== null);
  const xb = b.filter((v): v is number => v !== null);
  const n = xa.length + xb.length;
  if (xa.length === 0 || xb.length === 0) return { meanDifference: null, t: null, df: null, p: null, n };
  const ma = meanVariance(xa);
  const mb = meanVariance(xb);
  const meanDifference = ma.mean - mb.mean;
  if (xa.length < 2 || xb.length < 2) return { meanDifference, t: null, df: null, p: null, n };
  const va = ma.variance / xa.length;
  const vb = mb.variance / xb.length;
  if (negligibleVariance(va + vb, [...xa, ...xb])) return { meanDifference, t: null, df: null, p: null, n };
  const t = meanDifference / Math.sqrt(va + vb);
  const df = (va + vb) ** 2 / (va ** 2 / (xa.length - 1) + vb ** 2 / (xb.length - 1));
  return { meanDifference, t, df, p: studentTTwoSided(t, df), n };
}

/**
 * True when a variance is zero up to rounding of the values it came from (relative 1e-12 of their magnitude):
 * differences of "equal" metrics computed along different float paths would otherwise give t ≈ 10¹⁵ and p ≈ 0.
 */
function negligibleVariance(variance: number, values: readonly (number | null)[]): boolean {
  let scale = 0;
  for (const v of values) if (v !== null && Math.abs(v) > scale) scale = Math.abs(v);
  return variance <= (1e-12 * scale) ** 2;
}

/** Mean and sample variance (n − 1; 0 for one value). */
function meanVariance(xs: readonly number[]): { mean: number; variance: number } {
  const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
  if (xs.length < 2) return { mean, variance: 0 };
  return { mean, variance: xs.reduce((s, v) => s + (v - mean) ** 2, 0) / (xs.length - 1) };
}
