import { describe, expect, it } from 'vitest';
import { isMultiraterError } from '../errors.ts';
import { normalCdf, studentTCdf, studentTTwoSided } from './distributions.ts';
import { holmAdjust } from './holm.ts';
import { logGamma, regularizedIncompleteBeta, regularizedUpperGamma } from './special-functions.ts';
import { summarize } from './summary.ts';
import { pairedTTest, welchTTest } from './t-test.ts';
import { wilcoxonSignedRank } from './wilcoxon.ts';

// Reference values computed once with Debian's python3-scipy 1.17 (call in each comment).
describe('special functions and distributions', () => {
  it('match scipy.special', () => {
    expect(regularizedIncompleteBeta(0.3, 2.5, 0.5)).toBeCloseTo(0.018927124071945658, 13); // betainc(2.5, 0.5, 0.3)
    expect(regularizedUpperGamma(0.5, 2)).toBeCloseTo(0.04550026389635857, 13); // gammaincc(0.5, 2.0)
    expect(logGamma(0.3)).toBeCloseTo(1.0957979948180756, 12); // gammaln(0.3)
    expect(logGamma(50.5)).toBeCloseTo(146.51925549072064, 10); // gammaln(50.5)
  });

  it('gives textbook Student-t and normal probabilities', () => {
    // t with 1 df is Cauchy: P(T > 2) = 1/2 − atan(2)/π = 0.14758361765043326 (scipy stats.t.sf(2.0, 1)).
    expect(1 - studentTCdf(2, 1)).toBeCloseTo(0.5 - Math.atan(2) / Math.PI, 13);
    expect(studentTCdf(-2.5, 3.7)).toBeCloseTo(0.03591101145591339, 12); // stats.t.cdf(-2.5, 3.7)
    // Table value: t(0.975; 10 df) = 2.228 (scipy stats.t.ppf(0.975, 10) = 2.228138851986274) → two-sided p = 0.05.
    expect(studentTTwoSided(2.228138851986274, 10)).toBeCloseTo(0.05, 10);
    expect(normalCdf(-1.96)).toBeCloseTo(0.024997895148220435, 13); // stats.norm.cdf(-1.96)
    expect(normalCdf(3.1)).toBeCloseTo(0.9990323967867817, 13); // stats.norm.cdf(3.1)
  });
});

describe('summarize', () => {
  it('gives mean ± sd (n − 1), numpy-interpolated quartiles, and counts skipped nulls', () => {
    // [1, 2, 4, 7, 11]: mean 5, deviations −4 −3 −1 2 6 → Σ² = 66, sd = √(66/4); np.percentile → 2, 4, 7.
    const s = summarize([7, null, 1, 11, 2, null, 4]);
    expect(s).toEqual({
      mean: 5,
      sd: Math.sqrt(16.5),
      median: 4,
      q1: 2,
      q3: 7,
      iqr: 5,
      min: 1,
      max: 11,
      n: 5,
      skipped: 2,
    });
  });

  it('gives null statistics for no values and a null sd for one', () => {
    expect(summarize([null]).mean).toBeNull();
    expect(summarize([3]).sd).toBeNull();
    expect(summarize([3]).median).toBe(3);
  });
});

const A = [0.82, 0.79, 0.91, 0.85, 0.77, 0.88, 0.84, 0.8, 0.86, 0.83];
const B = [0.8, 0.78, 0.87, 0.86, 0.74, 0.85, 0.8, 0.81, 0.82, 0.79];

describe('t-tests', () => {
  it('paired: matches scipy.stats.ttest_rel(A, B)', () => {
    const r = pairedTTest(A, B);
    expect(r.t).toBeCloseTo(3.631578947368419, 10);
    expect(r.df).toBe(9);
    expect(r.p).toBeCloseTo(0.005472150076463351, 12);
    expect(r.meanDifference).toBeCloseTo(0.023, 12);
  });

  it('paired: drops pairs with a null and rejects unequal lengths', () => {
    expect(pairedTTest([...A, null], [...B, 0.5]).p).toBeCloseTo(0.005472150076463351, 12);
    let err: unknown;
    try {
      pairedTTest([1, 2], [1]);
    } catch (e) {
      err = e;
    }
    expect(isMultiraterError(err, 'size_mismatch')).toBe(true);
  });

  it('Welch: matches scipy.stats.ttest_ind(g1, g2, equal_var=False)', () => {
    const g1 = [0.71, 0.75, 0.69, 0.8, 0.77, 0.73];
    const g2 = [0.81, 0.79, 0.85, 0.78, 0.84, 0.88, 0.83, 0.8];
    const r = welchTTest(g1, g2);
    expect(r.t).toBeCloseTo(-3.985233171824148, 10);
    expect(r.df).toBeCloseTo(9.727878028806817, 10);
    expect(r.p).toBeCloseTo(0.0027238243909338588, 12);
  });

  it('gives a null p-value when the variance is zero', () => {
    expect(pairedTTest([1, 2, 3], [1, 2, 3]).p).toBeNull();
    expect(welchTTest([1, 1], [2, 2]).p).toBeNull();
    // In float64 these differences are 0.09999999999999998 ×3 and 0.10000000000000009 ×2: a constant shift of 0.1
    // up to rounding, not an effect with p ≈ 1e-80.
    expect(pairedTTest([0.3, 0.7, 0.9, 1.3, 2.1], [0.2, 0.6, 0.8, 1.2, 2.0]).p).toBeNull();
  });
});

describe('wilcoxonSignedRank', () => {
  it('is exact for small untied samples (hand count and scipy agree)', () => {
    // |x| ranks: 0.5→1 (−), 4.5→5 (−), the rest positive: W− = 6. Subsets of 1..9 with sum ≤ 6: 1+1+1+2+2+3+4 = 14,
    // so p = 2·14/2⁹ = 0.0546875 = scipy.stats.wilcoxon(x, method='exact').pvalue.
    const x = [1.5, -0.5, 2.5, 3.5, -4.5, 5.5, 6.5, 7.5, 8.5];
    const r = wilcoxonSignedRank(
      x,
      x.map(() => 0),
    );
    expect(r).toMatchObject({ statistic: 6, wMinus: 6, wPlus: 39, n: 9, method: 'exact' });
    expect(r.p).toBeCloseTo(0.0546875, 14);
  });

  it('uses the normal approximation with tie correction when ranks tie, dropping zeros', () => {
    // scipy.stats.wilcoxon(y, method='approx', zero_method='wilcox', correction=False) → 5.5, 0.014193490512728401
    const y = [1, 2, 2, 3, -1, 4, 5, -2, 6, 7, 0, 3];
    const r = wilcoxonSignedRank(
      y,
      y.map(() => 0),
    );
    expect(r).toMatchObject({ statistic: 5.5, n: 11, zeros: 1, method: 'normal' });
    expect(r.p).toBeCloseTo(0.014193490512728401, 12);
  });

  it('switches to the normal approximation above 50 differences', () => {
    // z = k·(−1 if k ≡ 1 mod 3) + 0.25 for k = 1..60; scipy wilcoxon(z, method='approx') → 590, 0.016733071607703435
    const z = Array.from({ length: 60 }, (_, i) => (i + 1) * (i % 3 === 0 ? -1 : 1) + 0.25);
    const r = wilcoxonSignedRank(
      z,
      z.map(() => 0),
    );
    expect(r.method).toBe('normal');
    expect(r.statistic).toBe(590);
    expect(r.p).toBeCloseTo(0.016733071607703435, 12);
    // scipy wilcoxon(z, method='exact') → 0.01613712308755133
    expect(
      wilcoxonSignedRank(
        z,
        z.map(() => 0),
        { method: 'exact' },
      ).p,
    ).toBeCloseTo(0.01613712308755133, 12);
  });
});

describe('holmAdjust', () => {
  it('matches the step-down procedure by hand and keeps nulls', () => {
    // sorted 0.01, 0.02, 0.04 with m = 3: 0.03, max(0.03, 0.04) = 0.04, max(0.04, 0.04) = 0.04.
    const adj = holmAdjust([0.04, null, 0.01, 0.02]);
    expect(adj[0]).toBeCloseTo(0.04, 15);
    expect(adj[1]).toBeNull();
    expect(adj[2]).toBeCloseTo(0.03, 15);
    expect(adj[3]).toBeCloseTo(0.04, 15);
    expect(holmAdjust([0.5, 0.6])).toEqual([1, 1]);
  });
});
