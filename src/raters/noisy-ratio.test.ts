import { describe, expect, it } from 'vitest';
import { noisyRatioRaters } from './noisy-ratio.ts';

describe('noisyRatioRaters', () => {
  const cases = Array.from({ length: 12 }, (_, i) => `c${i}`);

  it('gives round(ratio·n) noisy training cases, nested within a draw', () => {
    const raters = noisyRatioRaters(cases, { ratios: [0, 0.25, 0.5, 1], draws: 1, seed: 3 });
    expect(raters.map((r) => r.name)).toEqual(['noisy0', 'noisy25', 'noisy50', 'noisy100']);
    expect(raters.map((r) => r.noisyCases.size)).toEqual([0, 3, 6, 12]);
    for (const id of raters[1].noisyCases) expect(raters[2].noisyCases.has(id)).toBe(true);
  });

  it('draws independently per draw and names the draws', () => {
    const raters = noisyRatioRaters(cases, { ratios: [0.5], draws: 2, seed: 3 });
    expect(raters.map((r) => r.name)).toEqual(['noisy50_d1', 'noisy50_d2']);
    expect([...raters[0].noisyCases].sort()).not.toEqual([...raters[1].noisyCases].sort());
  });

  it('rejects a ratio outside [0, 1]', () => {
    expect(() => noisyRatioRaters(cases, { ratios: [1.5], draws: 1, seed: 1 })).toThrow(/ratios must lie in \[0, 1\]/);
  });
});
