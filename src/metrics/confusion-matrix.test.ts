import { describe, expect, it } from 'vitest';
import { confusionMatrixRmse, empiricalConfusionMatrix } from './confusion-matrix.ts';

describe('empiricalConfusionMatrix', () => {
  it('has columns = truth that sum to 1, and null columns for absent truth classes', () => {
    // truth 0 ×4 (rater says 0,0,0,1), truth 1 ×2 (rater says 1,0); class 2 never true but said once.
    const truth = Uint8Array.from([0, 0, 0, 0, 1, 1]);
    const rater = Uint8Array.from([0, 0, 0, 1, 1, 2]);
    expect(empiricalConfusionMatrix(rater, truth, { classes: 3 })).toEqual([
      [0.75, 0, null],
      [0.25, 0.5, null],
      [0, 0.5, null],
    ]);
  });

  it('rejects labels outside the classes', () => {
    expect(() => empiricalConfusionMatrix(Uint8Array.from([3]), Uint8Array.from([0]), { classes: 2 })).toThrow(
      /label 3/,
    );
  });
});

describe('confusionMatrixRmse', () => {
  it('averages the per-annotator RMSE over entries', () => {
    // Annotator 1: differences 0.1, −0.1, −0.1, 0.1 → RMSE 0.1; annotator 2: identical → 0. Mean 0.05.
    const truth = [
      [
        [0.9, 0.2],
        [0.1, 0.8],
      ],
      [
        [1, 0],
        [0, 1],
      ],
    ];
    const est = [
      [
        [1.0, 0.1],
        [0.0, 0.9],
      ],
      [
        [1, 0],
        [0, 1],
      ],
    ];
    expect(confusionMatrixRmse(est, truth)).toBeCloseTo(0.05, 12);
  });
});
