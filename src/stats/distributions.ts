/**
 * Cumulative distribution functions for the tests: the standard normal (through erfc(z) = Q(½, z²)) and
 * Student's t (through the regularised incomplete beta, Abramowitz & Stegun 26.7.1), both exact to about
 * 1e-14 rather than approximated; Student's t quantiles by inverting that CDF.
 */
import { MultiraterError } from '../errors.ts';
import { regularizedIncompleteBeta, regularizedUpperGamma } from './special-functions.ts';

/** P(Z ≤ z) for a standard normal Z. */
export function normalCdf(z: number): number {
  const tail = 0.5 * regularizedUpperGamma(0.5, (z * z) / 2);
  return z >= 0 ? 1 - tail : tail;
}

/** P(Z ≥ |z|) · 2 for a standard normal Z: the two-sided p-value of a z statistic. */
export function normalTwoSided(z: number): number {
  return regularizedUpperGamma(0.5, (z * z) / 2);
}

/** P(T ≤ t) for Student's t with `df` > 0 degrees of freedom (df need not be an integer). */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** P(|T| ≥ |t|) for Student's t with `df` degrees of freedom: the two-sided p-value of a t statistic. */
export function studentTTwoSided(t: number, df: number): number {
  return regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/**
 * The p-quantile of Student's t with `df` > 0 degrees of freedom: the t with P(T ≤ t) = p, for 0 < p < 1, found by
 * bisection on the exact CDF (to the last bits of a double; a bracket doubled out from ±1 first).
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0))
    throw new MultiraterError(
      'invalid_argument',
      `t quantile: expected 0 < p < 1 and df > 0, got p = ${p}, df = ${df}`,
    );
  if (p === 0.5) return 0;
  const sign = p > 0.5 ? 1 : -1;
  const upper = p > 0.5 ? p : 1 - p;
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, df) < upper) [lo, hi] = [hi, hi * 2];
  for (let i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < upper) lo = mid;
    else hi = mid;
  }
  return (sign * (lo + hi)) / 2;
}
