import { describe, expect, it } from 'vitest';
import { isMultiraterError } from '../errors.ts';
import { detectableDifference, groupSizeToDetect } from './detectable-difference.ts';
import { studentTCdf, studentTQuantile } from './distributions.ts';

// Quantiles from Debian's python3-scipy 1.17 (call in each comment).
describe('studentTQuantile', () => {
  it('matches scipy.stats.t.ppf and inverts the CDF', () => {
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228138851986274, 12); // t.ppf(0.975, 10)
    expect(studentTQuantile(0.8, 10)).toBeCloseTo(0.8790578285505889, 12); // t.ppf(0.8, 10)
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(4.302652729749462, 12); // t.ppf(0.975, 2)
    expect(studentTQuantile(0.025, 3.5)).toBeCloseTo(-2.9400886379827296, 11); // t.ppf(0.025, 3.5)
    // 1 df is Cauchy: the p-quantile is tan(π (p − ½)); p = 0.999 lies far out (318.3), past the bracket's start.
    expect(studentTQuantile(0.999, 1)).toBeCloseTo(Math.tan(Math.PI * 0.499), 8);
    expect(studentTQuantile(0.5, 7)).toBe(0);
    expect(studentTCdf(studentTQuantile(0.9, 4.2), 4.2)).toBeCloseTo(0.9, 13);
  });

  it('rejects a probability outside (0, 1)', () => {
    expect(() => studentTQuantile(1, 5)).toThrow('t quantile: expected 0 < p < 1 and df > 0, got p = 1, df = 5');
  });
});

describe('detectableDifference', () => {
  it('gives (t₀.₉₇₅ + t₀.₈) · sd · √(2/n) with ν = 2n − 2: sd 0.05, 6 vs 6 → 0.0897', () => {
    // ν = 10: t(0.975; 10) = 2.228139, t(0.80; 10) = 0.879058, sum 3.107197; √(1/6 + 1/6) = 0.577350;
    // 3.107197 × 0.05 × 0.577350 = 0.089697.
    expect(detectableDifference(0.05, 6, 6)).toBeCloseTo(0.0896971, 6);
    // 2 vs 2 draws, sd 0.09 (the old default's spread): ν = 2, (4.302653 + 1.060660) × 0.09 × 1 = 0.482698.
    expect(detectableDifference(0.09, 2, 2)).toBeCloseTo(0.482698, 5);
    // Unequal groups, 6 vs 3, sd 0.1: ν = 7, t(0.975; 7) = 2.364624, t(0.8; 7) = 0.896030, √(1/6 + 1/3) = 0.707107;
    // 3.260654 × 0.1 × 0.707107 = 0.230563.
    expect(detectableDifference(0.1, 6, 3)).toBeCloseTo(0.230563, 5);
  });

  it('follows the level and power asked for: α 0.01, power 0.9 at 6 vs 6 needs a larger difference', () => {
    // t(0.995; 10) = 3.169273, t(0.9; 10) = 1.372184; 4.541457 × 0.05 × 0.577350 = 0.131101.
    expect(detectableDifference(0.05, 6, 6, { alpha: 0.01, power: 0.9 })).toBeCloseTo(0.131101, 5);
  });

  it('is null without an sd or without a degree of freedom, and rejects a level outside (0, 1)', () => {
    expect(detectableDifference(null, 6, 6)).toBeNull();
    expect(detectableDifference(0.05, 1, 1)).toBeNull();
    try {
      detectableDifference(0.05, 6, 6, { alpha: 0 });
      expect.unreachable();
    } catch (e) {
      expect(isMultiraterError(e) && e.code).toBe('invalid_argument');
    }
  });
});

describe('groupSizeToDetect', () => {
  it("finds the first n per group whose detectable difference reaches the target: the seed's 0.07 drop at sd 0.05", () => {
    // n = 8: ν = 14, (2.144787 + 0.868055) × 0.05 × 0.5 = 0.075321 > 0.07; n = 9: ν = 16, (2.119905 + 0.864667)
    // × 0.05 × 0.471405 = 0.070347 > 0.07; n = 10: ν = 18, (2.100922 + 0.862049) × 0.05 × 0.447214 = 0.066254.
    expect(detectableDifference(0.05, 9, 9)).toBeGreaterThan(0.07);
    expect(groupSizeToDetect(0.07, 0.05)).toBe(10);
    expect(groupSizeToDetect(-0.07, 0.05)).toBe(10);
    expect(groupSizeToDetect(0.001, 0.05, { max: 50 })).toBeNull();
    expect(groupSizeToDetect(0.07, null)).toBeNull();
  });
});
