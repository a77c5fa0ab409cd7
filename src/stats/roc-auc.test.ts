import { describe, expect, it } from 'vitest';
import { rocAuc } from './roc-auc.ts';

describe('rocAuc', () => {
  it('is 1 for a perfect ranking, 0 for a reversed one and 0.5 when every score ties', () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [false, false, true, true])).toBe(1);
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [false, false, true, true])).toBe(0);
    expect(rocAuc([3, 3, 3, 3], [true, false, true, false])).toBe(0.5);
  });

  it('counts pairs by hand: positives {2, 5}, negatives {1, 3, 5} → (1 + 0 + 0 + 1 + 1 + 1 + 0.5) / 6', () => {
    // Pairs (pos > neg): 2>1 yes, 2>3 no, 2>5 no, 5>1 yes, 5>3 yes, 5=5 half → 3.5 / 6.
    expect(rocAuc([2, 5, 1, 3, 5], [true, true, false, false, false])).toBeCloseTo(3.5 / 6, 12);
  });

  it('is null without positives or without negatives', () => {
    expect(rocAuc([1, 2], [true, true])).toBeNull();
    expect(rocAuc([1, 2], [false, false])).toBeNull();
  });
});
