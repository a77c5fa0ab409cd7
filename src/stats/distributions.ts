/**
 * Cumulative distribution functions for the tests: the standard normal (through erfc(z) = Q(½, z²)) and
 * Student's t (through the regularised incomplete beta, Abramowitz & Stegun 26.7.1), both exact to about
 * 1e-14 rather than approximated.
 */
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
