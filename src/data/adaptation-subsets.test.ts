import { describe, expect, it } from 'vitest';
import { adaptationWays, expertCombinations } from './adaptation-subsets.ts';

/** 1-based image numbers a..b inclusive. */
const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);

describe('adaptation sub-sets (the seed study’s rule)', () => {
  it('reproduces the paper’s example: N = 34, n = 10 gives 1–10, 4–13, …, 28–34 then 1–3', () => {
    const ways = adaptationWays(34, 10).map((w) => w.map((i) => i + 1));
    expect(ways.map((w) => w[0])).toEqual([1, 4, 7, 10, 13, 16, 19, 22, 25, 28]);
    expect(ways[0]).toEqual(range(1, 10));
    expect(ways[1]).toEqual(range(4, 13));
    expect(ways[8]).toEqual(range(25, 34));
    expect(ways[9]).toEqual([...range(28, 34), ...range(1, 3)]);
  });

  it('nests: every way with more images contains the same way with fewer', () => {
    const sizes = [5, 10, 15, 20, 25, 30, 34];
    for (let s = 1; s < sizes.length; s++) {
      const small = adaptationWays(34, sizes[s - 1]);
      const large = adaptationWays(34, sizes[s]);
      small.forEach((w, k) => expect(large[k].slice(0, w.length)).toEqual(w));
    }
    // n = N: every way holds every image once.
    for (const w of adaptationWays(34, 34)) expect([...w].sort((a, b) => a - b)).toEqual(range(0, 33));
  });

  it('lists the C(5, k) expert combinations in lexicographic order', () => {
    const experts = ['e1', 'e2', 'e3', 'e4', 'e5'];
    expect([0, 1, 2, 3, 4, 5].map((k) => expertCombinations(experts, k).length)).toEqual([1, 5, 10, 10, 5, 1]);
    expect(expertCombinations(experts, 2).slice(0, 5)).toEqual([
      ['e1', 'e2'],
      ['e1', 'e3'],
      ['e1', 'e4'],
      ['e1', 'e5'],
      ['e2', 'e3'],
    ]);
    expect(expertCombinations(experts, 0)).toEqual([[]]);
  });

  it('rejects more samples than images', () => {
    expect(() => adaptationWays(5, 6)).toThrow(/only 5 images/);
  });
});
