import { describe, expect, it } from 'vitest';
import { confusionCounts, confusionMatrix } from './confusion-matrix.ts';

describe('confusion matrices', () => {
  it('puts P(rater says i | truth j) in column j, columns summing to 1', () => {
    // truth 0,0,1,1 and rater 0,1,1,1: of two background voxels one is called 1; both foreground voxels are right.
    const cm = confusionMatrix(confusionCounts(Uint8Array.of(0, 0, 1, 1), Uint8Array.of(0, 1, 1, 1), [0, 1]));
    expect(cm.matrix).toEqual([
      [0.5, 0],
      [0.5, 1],
    ]);
    expect(cm.truthVoxels).toEqual([2, 2]);
  });

  it('pools cases by adding counts and leaves a null column for a truth label never present', () => {
    const c = confusionCounts(Uint8Array.of(0, 1), Uint8Array.of(0, 1), [0, 1, 2]);
    confusionCounts(Uint8Array.of(1, 1), Uint8Array.of(2, 1), [0, 1, 2], c);
    const cm = confusionMatrix(c);
    expect(cm.matrix.map((row) => row[1])).toEqual([0, 2 / 3, 1 / 3]);
    expect(cm.matrix.map((row) => row[2])).toEqual([null, null, null]);
  });

  it('rejects a label outside the list', () => {
    expect(() => confusionCounts(Uint8Array.of(0), Uint8Array.of(5), [0, 1])).toThrow(/label 5 is not one of 0, 1/);
  });
});
