import { describe, expect, it } from 'vitest';
import { createVolume, diagonalAffine } from '../volume/volume.ts';
import { disagreementMap } from './disagreement-map.ts';

const vol = (d: number[]) =>
  createVolume([d.length], Uint8Array.from(d), { spacing: [2], affine: diagonalAffine([2, 1, 1]) });

describe('disagreementMap', () => {
  it('counts the raters that differ from the most voted label', () => {
    // Voxel 0: all 1 → 0; voxel 1: 2,2,0,2 → 1; voxel 2: 1,1,2,2 (tie) → 2; voxel 3: 0,1,2,3 → 3; voxel 4: 5,5,5,0 → 1.
    const raters = [
      [1, 2, 1, 0, 5],
      [1, 2, 1, 1, 5],
      [1, 0, 2, 2, 5],
      [1, 2, 2, 3, 0],
    ].map(vol);
    expect(Array.from(disagreementMap(raters).data)).toEqual([0, 1, 2, 3, 1]);
  });

  it('is 0 everywhere for identical raters and keeps the first rater’s geometry', () => {
    const raters = [vol([0, 3, 3]), vol([0, 3, 3])];
    const map = disagreementMap(raters);
    expect(Array.from(map.data)).toEqual([0, 0, 0]);
    expect(map.spacing).toEqual([2]);
    expect(map.affine).toEqual(raters[0].affine);
  });

  it('is 0 outside the mask', () => {
    const mask = vol([1, 0]);
    expect(Array.from(disagreementMap([vol([1, 1]), vol([0, 0])], { mask }).data)).toEqual([1, 0]);
  });
});
