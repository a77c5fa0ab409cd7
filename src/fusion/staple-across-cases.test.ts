import { describe, expect, it } from 'vitest';
import { fusionCases, fusionVolume } from '../../test/fusion-cases.ts';
import { Rng } from '../random/rng.ts';
import { staple } from './staple.ts';
import { stapleAcrossCases } from './staple-across-cases.ts';

describe('stapleAcrossCases', () => {
  it('on one case with every rating present is binary STAPLE (the ITK fixtures)', () => {
    for (const c of fusionCases().filter((k) => k.itkStaple)) {
      const volumes = c.raters.map(fusionVolume);
      const ours = stapleAcrossCases([volumes.map((v) => v.data)], {
        classes: 2,
        maxIterations: 10000,
        tolerance: 1e-9,
      });
      const theirs = staple(volumes).probability?.data as Float32Array;
      const n = theirs.length;
      let maxAbs = 0;
      for (let v = 0; v < n; v++) maxAbs = Math.max(maxAbs, Math.abs(ours.posteriors[0][n + v] - theirs[v]));
      expect(maxAbs, c.name).toBeLessThan(1e-4);
    }
  });

  it('shares each annotator’s matrix over the images it labelled and skips missing ratings', () => {
    // Three annotators on 40 images of 50 voxels: 0 and 1 copy the truth (1 with 10 % flips), 2 always says the
    // opposite but labels only the first 20 images. Annotator 2's matrix comes out anti-diagonal, and an image it
    // did not label is fused from the other two alone.
    const rng = new Rng(9);
    const cases = Array.from({ length: 40 }, (_, c) => {
      const truth = Uint8Array.from({ length: 50 }, () => (rng.uniform() < 0.3 ? 1 : 0));
      const noisy = truth.map((t) => (rng.uniform() < 0.1 ? 1 - t : t));
      return [truth, noisy, c < 20 ? truth.map((t) => 1 - t) : null];
    });
    const r = stapleAcrossCases(cases, { classes: 2 });
    expect(r.converged).toBe(true);
    const [good, noisy, wrong] = r.confusionMatrices as number[][][];
    expect(good[0][0]).toBeGreaterThan(0.99);
    expect(good[1][1]).toBeGreaterThan(0.99);
    expect(noisy[1][0]).toBeCloseTo(0.1, 1);
    expect(wrong[0][1]).toBeGreaterThan(0.99);
    expect(wrong[1][0]).toBeGreaterThan(0.99);
    for (const n of [0, 39]) expect(Array.from(r.labels[n])).toEqual(Array.from(cases[n][0] as Uint8Array));
  });

  it('with one rating per image keeps the ratings (identity matrices are a fixed point)', () => {
    const cases = [
      [Uint8Array.of(0, 1, 1), null],
      [null, Uint8Array.of(1, 0, 0)],
    ];
    const r = stapleAcrossCases(cases, { classes: 2 });
    expect(r.confusionMatrices).toEqual([
      [
        [1, 0],
        [0, 1],
      ],
      [
        [1, 0],
        [0, 1],
      ],
    ]);
    expect(r.labels.map((l) => Array.from(l))).toEqual([
      [0, 1, 1],
      [1, 0, 0],
    ]);
  });

  it('rejects a case without any rating and labels out of range', () => {
    expect(() => stapleAcrossCases([[null, null]], { classes: 2 })).toThrow(/case 0 has no rating/);
    expect(() => stapleAcrossCases([[Uint8Array.of(0, 2)]], { classes: 2 })).toThrow(/label 2 outside 0…1/);
  });
});
