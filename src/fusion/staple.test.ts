import { describe, expect, it } from 'vitest';
import { dice, flipRater } from '../../test/flip-raters.ts';
import { fusionCases, fusionVolume } from '../../test/fusion-cases.ts';
import { Rng } from '../random/rng.ts';
import { createVolume } from '../volume/volume.ts';
import { staple } from './staple.ts';

const binaryCases = fusionCases().filter((c) => c.itkStaple);

describe('staple against ITK STAPLEImageFilter (fixtures/fusion)', () => {
  it.each(binaryCases.map((c) => [c.name, c] as const))(
    '%s: probability, sensitivity and specificity match ITK',
    (_, c) => {
      const itk = c.itkStaple!;
      const result = staple(c.raters.map(fusionVolume), { names: c.raters });
      const reference = fusionVolume(itk.probability).data;
      const W = result.probability!.data;
      let maxAbs = 0;
      for (let i = 0; i < W.length; i++) maxAbs = Math.max(maxAbs, Math.abs(W[i] - reference[i]));
      expect(maxAbs).toBeLessThanOrEqual(0.01);
      result.raters.forEach((r, i) => {
        expect(Math.abs(r.sensitivity! - itk.sensitivity[i])).toBeLessThanOrEqual(0.005);
        expect(Math.abs(r.specificity! - itk.specificity[i])).toBeLessThanOrEqual(0.005);
      });
      expect(result.converged).toBe(true);
      // ITK's ElapsedIterations is the 0-based index of the step at which it stopped; we count steps run.
      expect(result.iterations).toBe(itk.iterations + 1);
    },
  );
});

describe('staple on simulated raters of known quality', () => {
  // A ball of radius 12 in a 40³ grid; each rater drops foreground voxels at rate 1 − sensitivity and adds
  // background voxels at rate 1 − specificity, independently per voxel (seeded).
  const n = 40;
  const truth = new Uint8Array(n * n * n);
  for (let z = 0; z < n; z++)
    for (let y = 0; y < n; y++)
      for (let x = 0; x < n; x++) {
        if ((x - 20) ** 2 + (y - 20) ** 2 + (z - 20) ** 2 <= 144) truth[(z * n + y) * n + x] = 1;
      }
  const sensitivity = [0.95, 0.9, 0.8, 0.7, 0.85];
  const specificity = [0.99, 0.98, 0.995, 0.97, 0.99];
  const rng = new Rng(42);
  const raters = sensitivity.map((s, k) =>
    createVolume(
      [n, n, n],
      flipRater(
        truth,
        () => s,
        () => specificity[k],
        rng.fork(k),
      ),
      { spacing: [1.25, 1.25, 10] },
    ),
  );

  it('recovers each rater’s sensitivity and specificity', () => {
    const result = staple(raters);
    // Sampling noise alone: sd of a rate over ~7,200 foreground voxels ≈ 0.005, over ~57,000 background ≈ 0.001.
    result.raters.forEach((r, k) => {
      expect(Math.abs(r.sensitivity! - sensitivity[k])).toBeLessThan(0.015);
      expect(Math.abs(r.specificity! - specificity[k])).toBeLessThan(0.003);
    });
    expect(result.labels.spacing).toEqual([1.25, 1.25, 10]);
  });

  it('with restrictToDisagreement keeps the consensus fixed and still segments well', () => {
    const result = staple(raters, { restrictToDisagreement: true });
    const W = result.probability!.data;
    let moved = 0;
    for (let v = 0; v < truth.length; v++) {
      const votes = raters.reduce((s, r) => s + r.data[v], 0);
      if ((votes === 0 && W[v] !== 0) || (votes === raters.length && W[v] !== 1)) moved++;
    }
    expect(moved).toBe(0);
    // Rates measured on the disagreement voxels only are not the raters' true rates, but the labels stay good.
    expect(dice(result.labels.data, truth)).toBeGreaterThan(0.97);
  });
});

describe('staple input checks', () => {
  const a = createVolume([4, 4], new Uint8Array(16).fill(1));
  it('names both files when raters are on different grids', () => {
    const b = createVolume([4, 5], new Uint8Array(20));
    expect(() => staple([a, b], { names: ['a.nii.gz', 'b.nii.gz'] })).toThrow(
      /b\.nii\.gz: grid 4×5 differs from 4×4 of a\.nii\.gz/,
    );
  });
  it('refuses a single rater', () => {
    expect(() => staple([a], { names: ['a.nii.gz'] })).toThrow(/at least 2 raters, got 1 \(a\.nii\.gz\)/);
  });
  it('refuses non-integer labels, naming the file', () => {
    const f = createVolume([4, 4], new Float32Array(16).fill(0.5));
    expect(() => staple([a, f], { names: ['a.nii.gz', 'soft.nii.gz'] })).toThrow(
      /soft\.nii\.gz: label maps need whole labels 0–65535, found 0\.5/,
    );
  });
  it('refuses a foreground label no rater uses', () => {
    expect(() => staple([a, a], { foreground: 3 })).toThrow(/foreground label 3 appears in none of the raters/);
  });
});
