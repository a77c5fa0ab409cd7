import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../../test/fixtures.ts';
import { isMultiraterError } from '../errors.ts';
import { readLabelMap } from '../io/read-volume.ts';
import { createVolume } from '../volume/volume.ts';
import { evaluatePair } from './evaluate-pair.ts';

interface FixtureCase {
  name: string;
  pred: string;
  ref: string;
  spacing: number[];
  expected: Record<string, number | null>;
}

const cases = JSON.parse(readFileSync(fixturePath('metrics', 'expected.json'), 'utf8')) as FixtureCase[];
const OVERLAP = new Set([
  'tp',
  'fp',
  'fn',
  'tn',
  'dice',
  'jaccard',
  'sensitivity',
  'specificity',
  'fpr',
  'fdr',
  'volumePred_mm3',
  'volumeRef_mm3',
]);

describe('evaluatePair on the scipy reference fixtures', () => {
  it.each(cases.map((c) => [c.name, c] as const))('reproduces every expected value of %s', (_name, c) => {
    const pred = readLabelMap(fixturePath('metrics', c.pred));
    const ref = readLabelMap(fixturePath('metrics', c.ref));
    const got: Record<string, number | null> = { ...evaluatePair(pred, ref, { labels: [1] }).labels['1'] };
    for (const [metric, want] of Object.entries(c.expected)) {
      if (want === null) {
        expect(got[metric], metric).toBeNull();
        continue;
      }
      const value = got[metric];
      expect(value, metric).not.toBeNull();
      const rel = OVERLAP.has(metric) ? 1e-6 : 1e-4;
      expect(Math.abs((value as number) - want), `${metric}: ${value} vs ${want}`).toBeLessThanOrEqual(
        rel * Math.max(Math.abs(want), 1e-12) + 1e-12,
      );
    }
  });
});

/** A uint8 label map of `shape` with `spacing` (mm) whose listed voxels [i, j, k?] hold `label`. */
function labelMap(shape: number[], spacing: number[], voxels: number[][], label = 1) {
  const data = new Uint8Array(shape.reduce((p, s) => p * s, 1));
  for (const [i, j, k = 0] of voxels) data[i + shape[0] * (j + shape[1] * k)] = label;
  return createVolume(shape, data, { spacing });
}

describe('evaluatePair definitions', () => {
  // A 1D image after dropping the singleton axis (40×1, spacing 1 mm). R = x 0..20, so ∂R = {0, 20}.
  // P = {0, 1, 2, 30}: 1 is interior, so ∂P = {0, 2, 30}.
  // d(∂P→∂R) = [0, 2, 10] (30 → 20); d(∂R→∂P) = [0, 10] (20 → 30).
  const ref = labelMap(
    [40, 1],
    [1, 1],
    Array.from({ length: 21 }, (_, x) => [x, 0]),
  );
  const pred = labelMap(
    [40, 1],
    [1, 1],
    [
      [0, 0],
      [1, 0],
      [2, 0],
      [30, 0],
    ],
  );

  it('takes HD95 per direction, not pooled', () => {
    // P95 of [0, 2, 10]: position 0.95·2 = 1.9 → 2 + 0.9·8 = 9.2; of [0, 10]: position 0.95 → 9.5.
    // Per direction: max(9.2, 9.5) = 9.5. Pooled [0, 0, 2, 10, 10] would give position 3.8 → 10.
    const m = evaluatePair(pred, ref).labels['1'];
    expect(m.hd95).toBeCloseTo(9.5, 12);
    expect(m.hd).toBe(10);
  });

  it('pools ASSD over both surfaces while MASD averages the two directed means', () => {
    // ASSD = (0 + 2 + 10 + 0 + 10) / 5 = 4.4; MASD = (12/3 + 10/2) / 2 = 4.5.
    const m = evaluatePair(pred, ref).labels['1'];
    expect(m.assd).toBeCloseTo(4.4, 12);
    expect(m.masd).toBeCloseTo(4.5, 12);
  });

  it('counts surface Dice as the share of both surfaces within the tolerance', () => {
    // Distances [0, 2, 10] and [0, 10]: τ = 10 mm → 5 of 5; τ = 9.9 → 3 of 5; τ = 1.9 → 2 of 5.
    expect(evaluatePair(pred, ref, { tolerance: 10 }).labels['1'].surfaceDice).toBe(1);
    expect(evaluatePair(pred, ref, { tolerance: 9.9 }).labels['1'].surfaceDice).toBeCloseTo(0.6, 12);
    expect(evaluatePair(pred, ref, { tolerance: 1.9 }).labels['1'].surfaceDice).toBeCloseTo(0.4, 12);
  });

  it('uses the spacing of each axis and drops singleton axes', () => {
    // 3×3×1 grid with spacing 2 × 5 × 7 mm: single voxels at (0,0) and (2,2) are 2D points √(4² + 10²) apart.
    const pred = labelMap([3, 3, 1], [2, 5, 7], [[0, 0]]);
    const ref = labelMap([3, 3, 1], [2, 5, 7], [[2, 2]]);
    const m = evaluatePair(pred, ref).labels['1'];
    expect(m.hd).toBeCloseTo(Math.sqrt(116), 12);
    expect(m.volumePred_mm3).toBe(70);
  });

  it('evaluates each label of a multi-class map and defaults to the labels present', () => {
    // Labels 1 and 2 identical in both maps; label 3 only in the prediction.
    const pred = labelMap([4, 4], [1, 1], [[0, 0]], 1);
    pred.data[5] = 2;
    pred.data[15] = 3;
    const ref = labelMap([4, 4], [1, 1], [[0, 0]], 1);
    ref.data[5] = 2;
    const got = evaluatePair(pred, ref).labels;
    expect(Object.keys(got)).toEqual(['1', '2', '3']);
    expect(got['2'].dice).toBe(1);
    expect(got['2'].hd).toBe(0);
    expect(got['3'].dice).toBe(0);
    expect(got['3'].hd).toBeNull();
    expect(got['3'].surfaceDice).toBe(0);
  });

  it('gives null distance metrics, not a crash, for a label absent from both maps', () => {
    const pred = labelMap([4, 4], [1, 1], [[0, 0]]);
    const m = evaluatePair(pred, pred, { labels: [7] }).labels['7'];
    expect(m).toMatchObject({
      dice: 1,
      jaccard: 1,
      sensitivity: null,
      fdr: null,
      hd: null,
      hd95: null,
      assd: null,
      masd: null,
      surfaceDice: 1,
    });
  });

  it('rejects different grids with an error naming both files', () => {
    const a = labelMap([4, 4], [1, 1], [[0, 0]]);
    const b = labelMap([4, 5], [1, 1], [[0, 0]]);
    let err: unknown;
    try {
      evaluatePair(a, b, { predName: 'pred.nii.gz', refName: 'ref.nii.gz' });
    } catch (e) {
      err = e;
    }
    expect(isMultiraterError(err, 'grid_mismatch')).toBe(true);
    expect((err as Error).message).toBe('pred.nii.gz: grid 4×4 differs from 4×5 of ref.nii.gz');
  });
});
